/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const CUSTOMER = "Plan Tour Kunde GmbH";
const customerRow = `.o_data_row:has(td[name="partner_id"]:contains("${CUSTOMER}"))`;

registry.category("web_tour.tours").add("payment_followup_plan_tour", {
    url: "/web",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Invoicing app",
            trigger: '.o_app[data-menu-xmlid="account.menu_finance"]',
            run: "click",
        },
        {
            content: "Open the Customers menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="account.menu_finance_receivables"]',
            run: "click",
        },
        {
            content: "Open the follow-up worklist",
            trigger: '.dropdown-item[data-menu-xmlid="payment_followup_ext.payment_followup_status_menu"]',
            run: "click",
        },
        {
            content: "The worklist is open",
            trigger: '.o_breadcrumb:contains("Follow-ups")',
        },
        {
            content: "Set up a payment plan for the customer",
            trigger: `${customerRow} button[name="action_payment_followup_plan"]`,
            run: "click",
        },
        {
            // Inside an open dialog, tour triggers are searched within it.
            content: "The overdue invoice is covered: three instalments of 400 are proposed",
            trigger: 'div[name="preview"] td:contains("400.00")',
        },
        {
            content: "Two instalments",
            trigger: 'div[name="count"] input',
            run: "edit 2 && click body",
        },
        {
            content: "The schedule is previewed again",
            trigger: 'div[name="preview"] td:contains("600.00")',
        },
        {
            content: "Create the plan",
            trigger: '.modal-footer button[name="action_create"]',
            run: "click",
        },
        {
            content: "The plan is running",
            trigger: '.o_statusbar_status .o_arrow_button_current:contains("Running")',
        },
        {
            content: "Print the agreement",
            trigger: '.o_statusbar_buttons button[name="action_print_agreement"]',
            run: "click",
        },
        {
            // The PDF is downloaded and the chatter notes it; without a usable wkhtmltopdf the
            // web client shows the report as HTML instead.
            content: "The agreement is printed",
            trigger: '.o-mail-Message:contains("agreement printed"), .o_action iframe[src*="/report/html/"]',
        },
    ],
});
