"""The demo's history, played day by day up to today (``make run``, see tools/demo_db.py).

The add-on's demo data (``payment_followup_ext/demo/``) holds the records: the company, its
customers, their posted invoices, a ladder that charges interest and one that hands over to
collection. This script then lets the months before today happen to them, in date order, the way
they would have happened in the company: the daily follow-up run (every second day here), the
accountant approving final notices, customers paying, a payment plan agreed and kept, another
broken, a promise to pay, a dispute, a postponed customer, a service suspension with an order on
hold, a prepayment invoice. Each day runs with the clock set to that day (freezegun), so dates,
deadlines, documents and texts are the ones of that day; it all runs after the add-on and its
German terms are installed, as the user admin (German) where a person acts and as OdooBot for the
daily run, so every mail, letter, to-do and document of the demo is German.

Run once, on the database that was just created (tools/demo_db.py); it marks the database with
the system parameter ``payment_followup_ext.demo_scenario`` so that it never runs twice.
"""

from collections import defaultdict
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command

DONE_PARAMETER = "payment_followup_ext.demo_scenario"
XMLID = "payment_followup_ext.%s"
# The daily run of the demo's past, every RUN_EVERY days from FIRST_RUN days ago until LAST_RUN
# days ago: the week before today was not run, so today's worklist has customers to remind.
FIRST_RUN = 120
LAST_RUN = 8
RUN_EVERY = 2


class Scenario:
    def __init__(self, env):
        self.today = date.today()
        context = {"lang": "de_DE", "tz": "Europe/Berlin", "tracking_disable": False}
        self.bot = env(user=SUPERUSER_ID, context=context)
        self.admin = env(user=env.ref("base.user_admin").id, context=context)
        self.company = self.bot.ref("base.main_company")
        self.events = defaultdict(list)

    def ref(self, name, env=None):
        return (env or self.admin).ref(XMLID % name)

    def day(self, offset):
        return self.today + timedelta(days=offset)

    def on(self, offset, action):
        self.events[self.day(offset)].append(action)

    # ------------------------------------------------------------------ what happens

    def receivable(self, invoice_name, env=None):
        invoice = self.ref(invoice_name, env)
        return invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )

    def pay(self, invoice_name, amount=None, share=None):
        """The customer pays (a bank transfer, registered and matched by the accountant)."""

        def action(day):
            items = self.receivable(invoice_name)
            due = items.amount_residual
            paid = amount if amount is not None else round(due * (share or 1), 2)
            payment = self.admin["account.payment"].create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": items.partner_id.commercial_partner_id.id,
                    "amount": paid,
                    "date": day,
                }
            )
            payment.action_post()
            (items + payment.move_id.line_ids).filtered(
                lambda line: line.account_id == items.account_id and not line.reconciled
            ).reconcile()

        return action

    def pay_plan(self, plan, amount):
        """The customer pays an instalment: matched with the plan's items, oldest first."""

        def action(day):
            items = plan.item_ids.filtered(lambda line: not line.reconciled).sorted("date")
            payment = self.admin["account.payment"].create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": plan.partner_id.id,
                    "amount": amount,
                    "date": day,
                }
            )
            payment.action_post()
            (items + payment.move_id.line_ids).filtered(
                lambda line: line.account_id == items.account_id[:1] and not line.reconciled
            ).reconcile()

        return action

    def run(self, partners=None, manual=True):
        """The daily follow-up run (OdooBot); ``manual``: the accountant approved the steps that
        wait for a review, as in the worklist."""

        def action(day):
            partner_ids = [self.ref(name, self.bot).id for name in partners] if partners else None
            Run = self.bot["payment.followup.run"]
            Run._process(self.company, day, partner_ids=partner_ids, manual=manual)
            self.bot["payment.followup.plan"]._cron_update_plans(today=day)

        return action

    def plan(self, partner, invoice_name, first, count, fee, pay_first):
        """A payment plan agreed on the phone, entered with the plan wizard."""

        def action(day):
            # As from the customer's "Payment Plan" button: the wizard proposes the overdue items
            # and the fee documents charged on them.
            opened = self.ref(partner).action_payment_followup_plan()
            wizard = (
                self.admin["payment.followup.plan.wizard"]
                .with_context(**opened["context"])
                .create(
                    {
                        "mode": "count",
                        "count": count,
                        "frequency": "monthly",
                        "first_date": day + timedelta(days=first),
                        "fee_amount": fee,
                        "grace_days": 5,
                    }
                )
            )
            wizard.action_create()
            if pay_first is not None:
                plan = self.admin["payment.followup.plan"].search(
                    [("partner_id", "=", self.ref(partner).id)], order="id desc", limit=1
                )
                first_line = plan.line_ids.sorted("date")[:1]
                instalment = first_line.amount
                self.on(
                    (first_line.date - self.today).days + pay_first,
                    self.pay_plan(plan, amount=instalment),
                )

        return action

    def promise(self, partner, until, note):
        def action(day):
            wizard = self.admin["payment.followup.promise.wizard"].create(
                {
                    "partner_ids": [Command.set(self.ref(partner).ids)],
                    "date": day + timedelta(days=until),
                    "note": note,
                }
            )
            wizard.action_confirm()

        return action

    def dispute(self, invoice_name, reason, note):
        def action(day):
            wizard = self.admin["payment.followup.dispute.wizard"].create(
                {
                    "move_ids": [Command.set(self.ref(invoice_name).ids)],
                    "reason": reason,
                    "note": note,
                }
            )
            wizard.action_confirm()

        return action

    def postpone(self, partner, until, note):
        def action(day):
            wizard = self.admin["payment.followup.postpone.wizard"].create(
                {
                    "partner_ids": [Command.set(self.ref(partner).ids)],
                    "date": day + timedelta(days=until),
                    "note": note,
                }
            )
            wizard.action_postpone()

        return action

    def suspend(self, partner, reason):
        def action(day):
            wizard = self.admin["payment.followup.suspension.wizard"].create(
                {
                    "mode": "suspend",
                    "partner_ids": [Command.set(self.ref(partner).ids)],
                    "reason": reason,
                }
            )
            wizard.action_apply()

        return action

    def prepayment(self, invoice_name):
        """The large order's prepayment invoice is drafted from the final invoice and sent."""

        def action(day):
            invoice = self.ref(invoice_name)
            invoice.invoice_date = day
            result = invoice.action_payment_followup_create_prepayment()
            prepayment = self.admin["account.move"].browse(result["res_id"])
            prepayment.invoice_date = day
            prepayment.action_post()

        return action

    def order(self, partner, product, quantity):
        """A quotation for the customer: the suspension banner shows on it."""

        def action(day):
            if "sale.order" not in self.admin:
                return
            self.admin["sale.order"].create(
                {
                    "partner_id": self.ref(partner).id,
                    "date_order": day,
                    "order_line": [
                        Command.create(
                            {"product_id": self.ref(product).id, "product_uom_qty": quantity}
                        )
                    ],
                }
            )

        return action

    def letters_printed(self, before):
        """The letters of past steps were printed and posted by the accountant."""

        def action(day):
            self.bot["payment.followup.history"].search(
                [("letter_state", "=", "to_print"), ("date", "<", day + timedelta(days=before))]
            ).write({"letter_state": "printed"})

        return action

    def court_sheet(self, partner, claim_type):
        """The accountant prepares the court dunning order of the customer's collection case:
        the claim type of the online dunning application, so that its data sheet prints."""

        def action(day):
            case = self.admin["payment.followup.collection"].search(
                [("partner_id", "=", self.ref(partner).id), ("state", "=", "handed_over")]
            )
            case.court_claim_type = claim_type

        return action

    def limitation_warning(self):
        """From 1 November the daily run asks the accounting manager to act on the claims that
        become time-barred on 31 December (here: Gartenbau Lorenz KG's invoice)."""

        def action(day):
            self.bot["payment.followup.run"]._warn_limitation(self.company, day)

        return action

    def einvoice(self, invoice_name):
        """The invoice sent as e-invoice in its customer's format (XRechnung for the public
        client): the XML that Odoo's ``account_edi_ubl_cii`` makes and stores on the invoice
        when it is sent (``ubl_cii_xml_file``), with the customer's Leitweg-ID as buyer
        reference."""

        def action(day):
            invoice = self.ref(invoice_name, self.bot)
            customer = invoice.commercial_partner_id
            builder = customer._get_edi_builder(customer.invoice_edi_format)
            xml, _errors = builder._export_invoice(invoice)
            self.bot["ir.attachment"].create(
                {
                    "name": builder._export_invoice_filename(invoice),
                    "raw": xml,
                    "mimetype": "application/xml",
                    "res_model": "account.move",
                    "res_id": invoice.id,
                    "res_field": "ubl_cii_xml_file",
                }
            )

        return action

    def discount_reminders(self):
        """The early-discount (Skonto) reminders of the daily run (OdooBot)."""

        def action(day):
            self.bot["payment.followup.discount.reminder"]._cron_send(day)

        return action

    def answer(self, partner, kind, **values):
        """The customer answers their latest reminder on its reply page (link or QR code of
        the mail and the letter), through the method the page calls
        (``payment.followup.reply._submit``), as the page does: as the follow-up, in the
        company's language. Dates are given in days from the day of the answer; ``amount``
        True: the reminder's open amount; ``move_id`` True: the reminder's first invoice."""

        def action(day):
            customer = self.ref(partner, self.bot)
            step = self.bot["payment.followup.history"].search(
                [("partner_id", "=", customer.id), ("date", "<=", day)],
                order="date desc, id desc",
                limit=1,
            )
            Reply = self.bot["payment.followup.reply"].with_company(step.company_id)
            form = dict(values)
            for name in ("paid_date", "requested_date"):
                if name in form:
                    form[name] = day + timedelta(days=form[name])
            if form.get("amount") is True:
                form["amount"] = sum(step.line_ids.mapped("amount_residual"))
            if form.get("move_id") is True:
                form["move_id"] = Reply._disputable_moves(step)[:1].id
            if form.get("reference") is True:
                form["reference"] = ", ".join(step.line_ids.move_id.mapped("name"))
            Reply._submit(step, kind, form, today=day)

        return action

    def customer_answers(self):
        """One answer of each kind on the reply page of a reminder."""
        # Praxis Dr. Wagner paid the payment reminder yesterday: no reminder while the transfer
        # is on its way.
        self.on(
            -2,
            self.answer("demo_partner_wagner", "paid", paid_date=-1, amount=True, reference=True),
        )
        # Anna Schmidt disputes the invoice of her friendly reminder.
        self.on(
            -10,
            self.answer(
                "demo_partner_schmidt",
                "dispute",
                move_id=True,
                reason="wrong_amount",
                note="Berechnet sind zwei Anfahrten, der Monteur war aber nur einmal da.",
            ),
        )
        # Thomas Becker asks for time until he is back, within the company's 30 days.
        self.on(
            -9,
            self.answer(
                "demo_partner_becker",
                "more_time",
                requested_date=19,
                note="Ich bin bis Mitte Dezember beruflich im Ausland und überweise danach.",
            ),
        )

    def recipients_and_statement(self):
        """Before the demo's first reminder: Maschinenbau Keller names its accounts department
        as dunning contact (reminders go there, not to the invoicing address), Schreinerei
        Weber wants its managing director in copy of every reminder, and the final notice of
        the interest ladder carries the statement of account."""

        def action(day):
            keller = self.ref("demo_partner_keller")
            self.admin["res.partner"].create(
                {
                    "name": "Buchhaltung Keller",
                    "type": "payment_followup",
                    "parent_id": keller.id,
                    "email": "buchhaltung@maschinenbau-keller.example",
                    "lang": "de_DE",
                }
            )
            weber = self.ref("demo_partner_weber")
            weber.payment_followup_cc_emails = "inhaber@schreinerei-weber.example"
            self.ref("demo_level_interest_final").attach_statement = True

        return action

    # ------------------------------------------------------------------ the story

    def plot(self):
        # Who receives the reminders, and the statement of account: before the first run.
        self.events[min(date(2026, 3, 6), self.day(-FIRST_RUN - 1))].append(
            self.recipients_and_statement()
        )
        # Maschinenbau Keller (business customer, interest ladder) in spring 2026: reminder,
        # first and final notice with interest and the EUR 40 flat fee.
        for day in (date(2026, 3, 7), date(2026, 3, 18), date(2026, 4, 1)):
            if day < self.today:
                self.events[day].append(self.run(partners=["demo_partner_keller"]))
        for offset in range(-FIRST_RUN, -LAST_RUN + 1, RUN_EVERY):
            self.on(offset, self.run())
        self.on(-57, self.pay("demo_inv_schulz_1"))
        self.on(-7, self.pay("demo_inv_mueller_1"))
        self.on(-6, self.pay("demo_inv_weber_1", share=0.4))
        # Metallbau Richter asks for instalments: three, the first one paid on time.
        self.on(-31, self.plan("demo_partner_richter", "demo_inv_richter_1", 5, 3, 15.0, 0))
        # Druckerei Vogel agrees to three instalments, pays the first, misses the second.
        self.on(-66, self.plan("demo_partner_vogel", "demo_inv_vogel_1", 5, 3, 0.0, 1))
        self.on(
            -9,
            self.dispute(
                "demo_inv_seeblick_1",
                "quality",
                "Mängelrüge per E-Mail: Silikonfugen in Zimmer 13 undicht. Nachbesserung am "
                "Montag vereinbart, danach zahlt der Kunde.",
            ),
        )
        self.on(
            -3,
            self.promise(
                "demo_partner_braun",
                4,
                "Telefonat mit Frau Braun: Zahlung sobald die Zahlung ihres Großkunden eingeht, "
                "spätestens zum genannten Tag.",
            ),
        )
        self.on(
            -2,
            self.postpone(
                "demo_partner_fischer",
                7,
                "Herr Fischer kündigt die Zahlung nach dem Quartalsabschluss der Kanzlei an.",
            ),
        )
        self.on(
            -5,
            self.suspend(
                "demo_partner_schulz",
                "Lieferstopp: Rechnungen seit über 50 Tagen überfällig, Mahnungen unbeantwortet. "
                "Aufträge erst nach Zahlungseingang.",
            ),
        )
        self.on(-4, self.prepayment("demo_inv_neumann_1"))
        self.on(-1, self.order("demo_partner_schulz", "demo_product_vehicle_care", 4))
        self.on(-1, self.letters_printed(before=-3))
        # Issue 17: the court dunning order data sheet of Bau Schneider's case (services
        # invoiced: Dienstleistungsvertrag, catalogue no. 5) and the limitation to-do.
        self.on(-1, self.court_sheet("demo_partner_schneider", "5"))
        self.on(0, self.limitation_warning())
        self.customer_answers()
        self.plot_documents()

    def plot_documents(self):
        """Issue 17: the public client's invoice sent as XRechnung (its Leitweg-ID on its
        letters), and yesterday's early-discount reminder of Bäckerei Sonnenschein."""
        self.on(-60, self.einvoice("demo_inv_stadt_1"))
        self.on(-1, self.discount_reminders())

    def play(self):
        # German business letters on DIN 5008 (l10n_din5008 comes with l10n_de).
        din = self.bot.ref("l10n_din5008.external_layout_din5008", raise_if_not_found=False)
        if din:
            self.company.external_report_layout_id = din
        self.plot()
        played = set()
        while True:
            pending = sorted(day for day in self.events if day not in played)
            if not pending:
                break
            day = pending[0]
            played.add(day)
            with freeze_time(day):
                for action in self.events[day]:
                    action(day)
                self.admin.flush_all()
        # today: expired credit checks announced, the worklist as it stands (nothing sent)
        self.bot["payment.followup.credit.check"]._cron_notify_expired()
        self.bot["payment.followup.run"]._process(self.company, self.today, execute=False)
        self.bot["ir.config_parameter"].set_param(DONE_PARAMETER, self.today.isoformat())


def play(env, report_url=None):
    """Play the demo's past once, on a database without follow-up history; returns False when
    it was played before (or the database has a history of its own)."""
    if env["ir.config_parameter"].sudo().get_param(DONE_PARAMETER):
        return False
    if env["payment.followup.history"].sudo().search_count([], limit=1):
        return False
    parameters = env["ir.config_parameter"].sudo()
    if report_url:
        parameters.set_param("report.url", report_url)
    Scenario(env).play()
    if report_url:
        parameters.set_param("report.url", False)
    return True
