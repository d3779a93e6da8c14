/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const FIRST = "Statement Tour GmbH";
const SECOND = "Statement Tour Zwei KG";
const row = (name) => `.o_data_row:has(td[name="partner_id"]:contains("${name}"))`;

/**
 * An accountant prints the statements of account of two customers from the worklist (one PDF,
 * overdue items only) and sees which customer's dunning contact has no email address.
 */
registry.category("web_tour.tours").add("payment_followup_statement_tour", {
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
            content: "The row warns that the dunning contact has no email address",
            trigger: `${row(SECOND)} td[name="recipient_warning"]:contains("Frau Ohnemail has no email address")`,
        },
        {
            content: "The other row has no warning",
            trigger: `${row(FIRST)} td[name="recipient_warning"]:not(:contains("email"))`,
        },
        {
            content: "Select the first customer",
            trigger: `${row(FIRST)} .o_list_record_selector input[type="checkbox"]`,
            run: "click",
        },
        {
            content: "Select the second customer",
            trigger: `${row(SECOND)} .o_list_record_selector input[type="checkbox"]`,
            run: "click",
        },
        {
            content: "Both are selected",
            trigger: `${row(SECOND)} .o_list_record_selector input[type="checkbox"]:checked`,
        },
        {
            content: "Print their statements of account",
            trigger: '.o_control_panel button[name="action_print_letter"]',
            run: "click",
        },
        {
            content: "The dialog lists both customers",
            trigger: `.modal div[name="partner_ids"]:contains("${FIRST}"):contains("${SECOND}")`,
        },
        {
            content: "Only the overdue items",
            trigger: '.modal div[name="overdue_only"] input[type="checkbox"]',
            run: "click",
        },
        {
            content: "Overdue only is ticked",
            trigger: '.modal div[name="overdue_only"] input[type="checkbox"]:checked',
        },
        {
            content: "Print",
            trigger: '.modal-footer button[name="action_print"]',
            run: "click",
        },
        {
            // A PDF is downloaded; without a usable wkhtmltopdf, the web client shows the
            // report as HTML instead.
            content: "The dialog is closed: the statements are printed",
            trigger: 'body:not(:has(.modal)) .o_list_view, .o_action iframe[src*="/report/html/"]',
        },
    ],
});
