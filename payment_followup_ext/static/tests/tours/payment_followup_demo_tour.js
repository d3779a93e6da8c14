/** @odoo-module */
/*
 * The first ten minutes in the demo database of `make run` (German), tests_demo/test_demo.py:
 * the worklist, a customer's row with its open items, history and chatter, the preview with
 * the mail as it goes out, sending; then the history with the mail sent and the printed letter.
 */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const CUSTOMER = "Schreinerei Weber e.K.";
const row = `.o_data_row:has(td[name="partner_id"]:contains("${CUSTOMER}"))`;

function openFollowupMenu(menuXmlid, content) {
    return [
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
            content,
            trigger: `.dropdown-item[data-menu-xmlid="${menuXmlid}"]`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("payment_followup_demo_tour_send", {
    url: "/odoo",
    steps: () => [
        ...openFollowupMenu(
            "payment_followup_ext.payment_followup_status_menu",
            "Open the worklist (Mahnwesen > Mahnungen)"
        ),
        {
            content: "The customer is due for the first dunning notice today",
            trigger: `${row} td[name="next_level_id"]:contains("1. Mahnung")`,
        },
        {
            content: "Open the customer's row",
            trigger: `${row} td[name="partner_id"]`,
            run: "click",
        },
        {
            content: "The row's form lists the open invoice",
            trigger: '.o_form_view div[name="open_line_ids"] .o_data_row:contains("RE/2026/")',
        },
        {
            content: "The row's form has the chatter",
            trigger: ".o_form_view .o-mail-Chatter",
        },
        {
            content: "Show the follow-up history of the customer",
            trigger: '.o_form_view .o_notebook a[name="history"]',
            run: "click",
        },
        {
            content: "The friendly reminder went out before",
            trigger: '.o_form_view div[name="history_ids"] .o_data_row:contains("Freundliche Erinnerung")',
        },
        {
            content: "Preview the next step",
            trigger: '.o_form_view .o_form_statusbar button[name="action_preview"]',
            run: "click",
        },
        {
            content: "Show the customer's mail and letter",
            trigger: `.modal ${row} button[name="action_show"]`,
            run: "click",
        },
        {
            content: "The preview shows the German subject of the mail",
            trigger: '.modal div[name="mail_subject"]:contains("1. Mahnung")',
        },
        {
            content: "The preview shows the German body of the mail",
            trigger: '.modal div[name="mail_body"]:contains("Sehr geehrte")',
        },
        {
            content: "The preview shows the letter too",
            trigger: '.modal a[name="letter"]',
            run: "click",
        },
        {
            content: "The letter is the one that will be printed",
            trigger: '.modal div[name="letter_html"] iframe',
        },
        {
            content: "Send it",
            trigger: '.modal-footer button[name="action_execute"]',
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The step is made: its letter is to print",
            trigger: `${row} td[name="letter_state"]:contains("Zu drucken")`,
        },
    ],
});

registry.category("web_tour.tours").add("payment_followup_demo_tour_letter", {
    url: "/odoo",
    steps: () => [
        ...openFollowupMenu(
            "payment_followup_ext.payment_followup_history_menu",
            "Open the follow-up history (Mahnwesen > Mahnhistorie)"
        ),
        {
            content: "The mail of the step is sent",
            trigger: `${row}:has(td[name="level_id"]:contains("1. Mahnung")) td[name="email_state"]:contains("Gesendet")`,
        },
        {
            content: "Select the step",
            trigger: `${row}:has(td[name="level_id"]:contains("1. Mahnung")) .o_list_record_selector input[type="checkbox"]`,
            run: "click",
        },
        {
            content: "Print the letter",
            trigger: '.o_control_panel button[name="action_print_letter"]',
            run: "click",
        },
        {
            content: "The letter is printed",
            trigger: `${row}:has(td[name="level_id"]:contains("1. Mahnung")) td[name="letter_state"]:contains("Gedruckt")`,
        },
    ],
});
