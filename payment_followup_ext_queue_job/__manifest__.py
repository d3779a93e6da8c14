{
    "name": "Payment Follow-up: Job Queue",
    "summary": "Runs the daily follow-up in batches on OCA's job queue, shared by several servers",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "payment_followup_ext developers",
    "website": "https://github.com/payment-followup-ext/payment_followup_ext",
    "license": "LGPL-3",
    "depends": ["payment_followup_ext", "queue_job"],
    "data": ["data/queue_job_data.xml"],
    "auto_install": True,
}
