"""The measurements of ``make bench``, one per process, each printing a JSON object.

Usage: ``bench_run.py MEASURE CONF DB [ADDONS_PATH]``, MEASURE one of

- ``worklist``: the worklist refresh, ``_process(execute=False)``: selection and decision only;
- ``decide``: a daily run without communication: selection, decision, history records, items
  escalated, worklist stored; the emails and chatter notes are switched off in this process;
- ``full``: the daily run as the cron does it, emails rendered and queued;
- ``decide_workers``, ``full_workers``: the same two runs with their batches shared by
  ``PFX_BENCH_WORKERS`` (2) processes, each taking the next batch and committing it, as the job
  workers of OCA ``queue_job`` do with the jobs of the job queue bridge (one job a batch);
- ``oca``: OCA ``account_credit_control`` generating its credit control lines for the day;

or ``bench_run.py report FILE...``: the JSON objects of the measurements merged into one line.

Every run is timed alone, after the registry is loaded, as the superuser with an empty context
(as the cron runs); ``PFX_BENCH_DATE`` is the day of the run.
``sql_queries`` counts the queries of the run, ``peak_memory_mb`` is the process's peak RSS.
"""

import json
import multiprocessing
import os
import resource
import sys
import time
from contextlib import contextmanager

from bench_data import POLICY_NAME, Settings, open_env

import odoo


@contextmanager
def measured(result, prefix=""):
    """Time the block and count its SQL queries into ``result``."""
    queries = odoo.sql_db.sql_counter
    started = time.perf_counter()
    yield
    result[f"{prefix}seconds"] = round(time.perf_counter() - started, 2)
    result[f"{prefix}sql_queries"] = odoo.sql_db.sql_counter - queries


def peak_memory_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def run_followup(env, today):
    """The daily run as the cron does it: committed batches of 500 customers, one after the
    other on one cursor (the job queue bridge would spread them over job workers)."""
    company = env.ref("base.main_company")
    return env["payment.followup.run"]._process(company, today, commit=True)


def refresh_worklist(env, today):
    """The worklist refresh of one request: one transaction, no step executed."""
    company = env.ref("base.main_company")
    run = env["payment.followup.run"].with_company(company)
    run._process(company, today, execute=False)
    env.cr.commit()


def measure_worklist(env, today):
    result = {}
    with measured(result, "worklist_"):
        refresh_worklist(env, today)
    env.cr.execute("SELECT count(*) FROM payment_followup_status WHERE action_needed")
    result["worklist_due"] = env.cr.fetchone()[0]
    return result


def switch_off_communication(env):
    """No emails and no chatter notes in this process (the ``decide`` measures)."""
    History = type(env["payment.followup.history"])
    History._send_emails = lambda self: None
    History._log_without_email = lambda self: None


def measure_decide(env, today):
    """The run without emails and chatter notes: both are switched off for this process."""
    switch_off_communication(env)
    result = {}
    with measured(result, "decide_"):
        steps = run_followup(env, today)
    result["decide_steps"] = len(steps)
    result["seconds_decide"] = result.pop("decide_seconds")
    return result


def measure_full(env, today):
    result = {}
    with measured(result):
        steps = run_followup(env, today)
    result["steps"] = len(steps)
    result["peak_memory_mb"] = peak_memory_mb()
    env.cr.execute(
        "SELECT count(*) FROM mail_mail m JOIN payment_followup_history h ON h.mail_id = m.id "
        "WHERE h.date = %s AND m.body_html IS NOT NULL",
        [today],
    )
    result["mails"] = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT count(*) FROM payment_followup_history "
        "WHERE date = %s AND letter_state = 'to_print'",
        [today],
    )
    result["letters"] = env.cr.fetchone()[0]
    return result


def job_worker(conf, db_name, today, decide, batches, ready, go, done):
    """One job worker: loads the registry, then takes batches until none is left, each run
    and committed as the bridge's job ``_run_batch_job`` runs it."""
    steps, is_ready = None, False  # None: failed (the measure stops instead of waiting)
    env = open_env(conf, db_name)
    try:
        if decide:
            switch_off_communication(env)
        company = env.ref("base.main_company")
        run = env["payment.followup.run"].with_company(company)
        ready.put(True)
        is_ready = True
        go.wait()
        steps = 0
        # one None a worker after the batches: the end, without waiting on an empty queue
        for partner_ids in iter(batches.get, None):
            steps += len(run._run_batch(company, today, partner_ids))
    finally:
        env.cr.close()
        if not is_ready:
            ready.put(False)
        done.put(steps)


def run_on_workers(env, today, decide, prefix):
    """The daily run's batches shared by ``PFX_BENCH_WORKERS`` processes; timed from the moment
    every worker has loaded its registry until the last batch is committed."""
    workers = int(os.environ.get("PFX_BENCH_WORKERS", 2))
    company = env.ref("base.main_company")
    run = env["payment.followup.run"].with_company(company)
    partner_ids = run._candidate_partner_ids(company)
    size = run._batch_size()
    env.cr.rollback()
    context = multiprocessing.get_context("spawn")
    batches, ready, done, go = context.Queue(), context.Queue(), context.Queue(), context.Event()
    for start in range(0, len(partner_ids), size):
        batches.put(partner_ids[start : start + size])
    for _index in range(workers):
        batches.put(None)
    conf, db_name = sys.argv[2], env.cr.dbname
    processes = [
        context.Process(
            target=job_worker, args=(conf, db_name, today, decide, batches, ready, go, done)
        )
        for _index in range(workers)
    ]
    for process in processes:
        process.start()
    readiness = [ready.get() for _process in processes]  # every worker, even after a failure
    started = time.perf_counter()
    go.set()
    steps = [done.get() for _process in processes]
    seconds = round(time.perf_counter() - started, 2)
    for process in processes:
        process.join()
    if not all(readiness) or None in steps:
        sys.exit("a job worker failed: see its error above")
    return {"workers": workers, f"{prefix}seconds": seconds, f"{prefix}steps": sum(steps)}


def measure_decide_workers(env, today):
    return run_on_workers(env, today, True, "decide_workers_")


def measure_full_workers(env, today):
    return run_on_workers(env, today, False, "full_workers_")


def measure_oca(env, today):
    policy = env["credit.control.policy"].search([("name", "=", POLICY_NAME)])
    run = env["credit.control.run"].create(
        {"date": today, "policy_ids": [odoo.Command.set(policy.ids)]}
    )
    env.cr.commit()
    result = {}
    with measured(result, "oca_"):
        run.generate_credit_lines()
        env.cr.commit()
    result["oca_lines"] = len(run.line_ids)
    result["oca_peak_memory_mb"] = peak_memory_mb()
    return result


def counts(env):
    env.cr.execute(
        "SELECT count(*), count(DISTINCT l.partner_id) FROM account_move_line l "
        "JOIN account_account a ON a.id = l.account_id "
        "WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted' "
        "AND NOT l.reconciled AND l.amount_residual != 0"
    )
    items, customers = env.cr.fetchone()
    return {"customers": customers, "open_items": items}


MEASURES = {
    "worklist": measure_worklist,
    "decide": measure_decide,
    "full": measure_full,
    "decide_workers": measure_decide_workers,
    "full_workers": measure_full_workers,
    "oca": measure_oca,
}
ORDER = [
    "customers",
    "open_items",
    "steps",
    "seconds",
    "seconds_decide",
    "workers",
    "decide_workers_seconds",
    "full_workers_seconds",
    "sql_queries",
    "peak_memory_mb",
    "oca_seconds",
]


def report(paths):
    merged = {}
    for path in paths:
        with open(path, encoding="utf-8") as file:
            merged.update(json.load(file))
    if merged.get("oca_seconds") and merged.get("seconds_decide"):
        # How many times faster selection and decision are than OCA's line generation.
        merged["decide_speedup_vs_oca"] = round(merged["oca_seconds"] / merged["seconds_decide"], 1)
    merged["date"] = Settings.from_env().today.isoformat()
    line = {key: merged.pop(key) for key in ORDER if key in merged} | merged
    print(json.dumps(line))


def main(measure, *args):
    if measure == "report":
        return report(args)
    conf, db_name, *addons_path = args
    today = Settings.from_env().today
    env = open_env(conf, db_name, *addons_path)
    try:
        result = MEASURES[measure](env, today)
        if measure == "full":
            result = counts(env) | result
    finally:
        env.cr.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:])
