/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const CUSTOMER = "Credit Tour GmbH";

function openCustomersMenu(menuXmlid, content) {
    return [
        {
            content: "Open the Customers menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="account.menu_finance_receivables"]',
        },
        {
            content,
            trigger: `.dropdown-item[data-menu-xmlid="${menuXmlid}"]`,
        },
    ];
}

registry.category("web_tour.tours").add("payment_credit_tour", {
    test: true,
    url: "/web",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Invoicing app",
            trigger: '.o_app[data-menu-xmlid="account.menu_finance"]',
        },
        ...openCustomersMenu("account.menu_account_customer", "Open the customers"),
        {
            content: "Open the customer",
            trigger: `.o_kanban_record:contains("${CUSTOMER}")`,
        },
        {
            content: "Open the Payment Contract page",
            trigger: '.o_notebook_headers .nav-link:contains("Payment Contract")',
            extra_trigger: `.o_form_view .o_field_widget[name="name"]:contains("${CUSTOMER}"), .o_form_view .o_field_widget[name="name"] input`,
        },
        {
            content: "Without signed terms, the page says so",
            trigger: 'div[name="payment_contract_unsigned"]',
            run: () => {},
        },
        {
            content: "Grant five grace days",
            trigger: 'div[name="payment_followup_grace_days"] input',
            run: "text 5",
        },
        {
            content: "Note a special agreement",
            trigger: 'div[name="payment_followup_special_agreements"] textarea',
            run: "text Invoices by email to the purchasing department only.",
        },
        {
            content: "Open the Credit Checks page",
            trigger: '.o_notebook_headers .nav-link:contains("Credit Checks")',
            extra_trigger: `.o_form_view .o_field_widget[name="name"]:contains("${CUSTOMER}"), .o_form_view .o_field_widget[name="name"] input`,
        },
        {
            content: "Add a credit check",
            trigger: 'button[name="action_payment_credit_check_new"]',
        },
        {
            // Inside an open dialog, tour triggers are searched within it.
            content: "Enter the score",
            trigger: 'div[name="score"] input',
            run: "text Risk class 1",
        },
        {
            content: "Enter the approved credit limit",
            trigger: 'div[name="credit_limit"] input',
            run: "text 50000",
        },
        {
            content: "Approve the check",
            trigger: '.modal-footer button[name="action_approve"]',
        },
        {
            content: "The approved check is listed on the customer",
            trigger: 'div[name="payment_credit_check_ids"] .o_data_row:contains("Approved"):contains("Risk class 1")',
            extra_trigger: "body:not(:has(.modal))",
            in_modal: false,
            run: () => {},
        },
        {
            content: "It is the customer's current check",
            trigger: 'div[name="payment_credit_check_id"]:contains("Credit check")',
            in_modal: false,
            run: () => {},
        },
        ...openCustomersMenu("account.menu_action_move_out_invoice_type", "Open the invoices"),
        {
            content: "Create an invoice",
            trigger: ".o_control_panel_main_buttons .d-none .o_list_button_add",
            extra_trigger: '.o_breadcrumb .text-truncate:contains("Invoices")',
        },
        {
            content: "Choose the customer",
            trigger: 'div.o_field_widget[name="partner_id"] input',
            run: `text ${CUSTOMER}`,
        },
        {
            content: "Select the customer",
            trigger: `.ui-menu-item a:contains("${CUSTOMER}")`,
        },
        {
            content: "Add a line",
            trigger: 'div[name="invoice_line_ids"] .o_field_x2many_list_row_add a:contains("Add a line")',
        },
        {
            content: "Describe the large work",
            trigger: 'div[name="invoice_line_ids"] .o_selected_row div[name="name"] textarea',
            run: "text Production line retrofit",
        },
        {
            content: "Enter the price",
            trigger: 'div[name="invoice_line_ids"] .o_selected_row div[name="price_unit"] input',
            run: "text 20000",
        },
        {
            content: "The draft invoice suggests a prepayment",
            trigger: '.o_payment_followup_prepayment_banner:contains("30 %")',
            run: () => {},
        },
        {
            content: "The banner offers the prepayment invoice",
            trigger: '.o_payment_followup_prepayment_banner button[name="action_payment_followup_create_prepayment"]',
            run: () => {},
        },
        {
            content: "Post the invoice",
            trigger: '.o_statusbar_buttons button[name="action_post"]',
        },
        {
            content: "The posted invoice still suggests the prepayment",
            trigger: '.o_payment_followup_prepayment_banner:contains("30 %")',
            extra_trigger: '.o_statusbar_status .o_arrow_button_current:contains("Posted")',
            run: () => {},
        },
    ],
});
