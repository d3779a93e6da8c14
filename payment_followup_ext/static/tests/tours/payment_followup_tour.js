/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const CUSTOMER = "Tour Customer GmbH";
const customerRow = `.o_data_row:has(td[name="partner_id"]:contains("${CUSTOMER}"))`;

function openCustomersMenu(menuXmlid, content) {
    return [
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

registry.category("web_tour.tours").add("payment_followup_tour", {
    url: "/web",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Invoicing app",
            trigger: '.o_app[data-menu-xmlid="account.menu_finance"]',
            run: "click",
        },
        ...openCustomersMenu(
            "payment_followup_ext.payment_followup_status_menu",
            "Open the follow-up worklist"
        ),
        {
            content: "The worklist is open",
            trigger: '.o_breadcrumb:contains("Follow-ups")',
        },
        {
            content: "The customer needs a follow-up today",
            trigger: `${customerRow} td[name="next_level_id"]:contains("Tour Reminder")`,
        },
        {
            content: "Preview the follow-up of the customer",
            trigger: `${customerRow} button[name="action_preview"]`,
            run: "click",
        },
        {
            content: "The preview shows the level of the step",
            trigger: `${customerRow} td[name="level_id"]:contains("Tour Reminder")`,
        },
        {
            content: "The preview shows the amount due",
            trigger: `${customerRow} td[name="amount_due"]:contains("1,000.00")`,
        },
        {
            content: "The preview shows the email as it goes out",
            trigger: '.modal div[name="mail_subject"]:contains("Payment reminder for Tour Customer GmbH")',
        },
        {
            content: "The preview shows the email's body",
            trigger: '.modal div[name="mail_body"]:contains("please pay")',
        },
        {
            content: "Send the follow-up",
            trigger: '.modal-footer button[name="action_execute"]',
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The executed step is listed",
            trigger: `${customerRow} td[name="letter_state"]:contains("To Print")`,
        },
        ...openCustomersMenu(
            "payment_followup_ext.payment_followup_history_menu",
            "Open the follow-up history"
        ),
        {
            content: "The history is opened from the menu (one breadcrumb)",
            trigger: '.o_breadcrumb:not(:has(.breadcrumb-item)):contains("Follow-up History")',
        },
        {
            content: "Select the step of the customer",
            trigger: `${customerRow} .o_list_record_selector input[type="checkbox"]`,
            // Opened from the menu: a single breadcrumb (the list shown after sending has two).
            run: "click",
        },
        {
            content: "The step is selected",
            trigger: `${customerRow} .o_list_record_selector input[type="checkbox"]:checked`,
        },
        {
            content: "Print the letters of the selection",
            trigger: '.o_control_panel button[name="action_print_letter"]',
            run: "click",
        },
        {
            // A PDF report is downloaded, then the list reloads (the letter is now printed);
            // without a usable wkhtmltopdf, the web client shows the report as HTML instead.
            content: "The letter is printed",
            trigger: `${customerRow} td[name="letter_state"]:contains("Printed"), .o_action iframe[src*="/report/html/"]`,
        },
    ],
});
