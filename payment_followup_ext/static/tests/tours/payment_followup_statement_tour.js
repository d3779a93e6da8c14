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
            content: "The row shows the dunning contact, without email address: in warning colour",
            trigger: `${row(SECOND)} td.text-warning[name="recipient_id"]:contains("Frau Ohnemail")`,
        },
        {
            content: "The other customer gets its reminders itself, without warning",
            trigger: `${row(FIRST)} td[name="recipient_id"]:not(.text-warning):contains("${FIRST}")`,
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
            // The test lets the web client show the report as HTML (Chromium downloads
            // nothing under tests): one statement per customer, overdue items only.
            content: "The statements are shown",
            trigger: `.o_action iframe:iframe .o_followup_statement:contains("${FIRST}")`,
        },
        {
            content: "The second customer's statement follows, overdue items only",
            trigger: `.o_action iframe:iframe .o_followup_statement:contains("${SECOND}"):contains("overdue items only")`,
        },
    ],
});
