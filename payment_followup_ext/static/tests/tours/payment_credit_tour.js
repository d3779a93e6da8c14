/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const CUSTOMER = "Credit Tour GmbH";

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

registry.category("web_tour.tours").add("payment_credit_tour", {
    url: "/web",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Invoicing app",
            trigger: '.o_app[data-menu-xmlid="account.menu_finance"]',
            run: "click",
        },
        ...openCustomersMenu("account.menu_account_customer", "Open the customers"),
        {
            content: "Open the customer",
            trigger: `.o_kanban_record:contains("${CUSTOMER}")`,
            run: "click",
        },
        {
            content: "The customer form is open",
            trigger: `.o_form_view .o_field_widget[name="name"]:contains("${CUSTOMER}"), .o_form_view .o_field_widget[name="name"] input`,
        },
        {
            content: "Open the Payment Contract page",
            trigger: '.o_notebook_headers .nav-link:contains("Payment Contract")',
            run: "click",
        },
        {
            content: "Without signed terms, the page says so",
            trigger: 'div[name="payment_contract_unsigned"]',
        },
        {
            content: "Grant five grace days",
            trigger: 'div[name="payment_followup_grace_days"] input',
            run: "edit 5",
        },
        {
            content: "Note a special agreement",
            trigger: 'div[name="payment_followup_special_agreements"] textarea',
            run: "edit Invoices by email to the purchasing department only.",
        },
        {
            content: "The customer form is open",
            trigger: `.o_form_view .o_field_widget[name="name"]:contains("${CUSTOMER}"), .o_form_view .o_field_widget[name="name"] input`,
        },
        {
            content: "Open the Credit Checks page",
            trigger: '.o_notebook_headers .nav-link:contains("Credit Checks")',
            run: "click",
        },
        {
            content: "Add a credit check",
            trigger: 'button[name="action_payment_followup_credit_check_new"]',
            run: "click",
        },
        {
            // Inside an open dialog, tour triggers are searched within it.
            content: "Enter the score",
            trigger: 'div[name="score"] input',
            run: "edit Risk class 1",
        },
        {
            content: "Enter the approved credit limit",
            trigger: 'div[name="credit_limit"] input',
            run: "edit 50000",
        },
        {
            content: "Save the check for approval: another accounting manager approves it",
            trigger: '.modal-footer button:contains("Save for Approval")',
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The check waits for approval on the customer",
            trigger: 'div[name="payment_followup_credit_check_ids"] .o_data_row:contains("Draft"):contains("Risk class 1")',
        },
    ],
});

// After a second accounting manager approved the check (four-eyes principle).
registry.category("web_tour.tours").add("payment_credit_invoice_tour", {
    url: "/web",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Invoicing app",
            trigger: '.o_app[data-menu-xmlid="account.menu_finance"]',
            run: "click",
        },
        ...openCustomersMenu("account.menu_action_move_out_invoice_type", "Open the invoices"),
        {
            content: "The invoices are listed",
            trigger: '.o_breadcrumb .text-truncate:contains("Invoices")',
        },
        {
            content: "Create an invoice",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the customer",
            trigger: 'div.o_field_widget[name="partner_id"] input',
            run: `edit ${CUSTOMER}`,
        },
        {
            content: "Select the customer",
            trigger: `.ui-menu-item a:contains("${CUSTOMER}")`,
            run: "click",
        },
        {
            content: "Add a line",
            trigger: 'div[name="invoice_line_ids"] .o_field_x2many_list_row_add a:contains("Add a line")',
            run: "click",
        },
        {
            // Odoo 18 shows a line's description inside the product cell, behind this button.
            content: "Add a description to the line",
            trigger: 'div[name="invoice_line_ids"] .o_selected_row div[name="product_id"] button#labelVisibilityButtonId',
            run: "click",
        },
        {
            content: "Describe the large work",
            trigger: 'div[name="invoice_line_ids"] .o_selected_row div[name="product_id"] textarea',
            run: "edit Production line retrofit",
        },
        {
            content: "Enter the price",
            trigger: 'div[name="invoice_line_ids"] .o_selected_row div[name="price_unit"] input',
            run: "edit 20000 && click body",
        },
        {
            content: "The draft invoice suggests a prepayment",
            trigger: '.o_payment_followup_prepayment_banner:contains("30 %")',
        },
        {
            content: "The banner offers the prepayment invoice",
            trigger: '.o_payment_followup_prepayment_banner button[name="action_payment_followup_create_prepayment"]',
        },
        {
            content: "Post the invoice",
            trigger: '.o_statusbar_buttons button[name="action_post"]',
            run: "click",
        },
        {
            content: "The invoice is posted",
            trigger: '.o_statusbar_status .o_arrow_button_current:contains("Posted")',
        },
        {
            content: "The posted invoice still suggests the prepayment",
            trigger: '.o_payment_followup_prepayment_banner:contains("30 %")',
        },
    ],
});
