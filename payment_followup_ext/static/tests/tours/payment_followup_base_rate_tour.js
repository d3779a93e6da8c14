/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("payment_followup_base_rate_tour", {
    test: true,
    url: "/web",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Invoicing app",
            trigger: '.o_app[data-menu-xmlid="account.menu_finance"]',
        },
        {
            content: "Open the configuration menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="account.menu_finance_configuration"]',
        },
        {
            content: "Open the base interest rates",
            trigger: '.dropdown-item[data-menu-xmlid="payment_followup_ext.payment_followup_base_rate_menu"]',
        },
        {
            content: "The shipped rate of the 2nd half-year 2023 is listed",
            trigger: '.o_data_row td[name="date_from"]:contains("07/01/2023")',
            extra_trigger: '.o_breadcrumb:contains("Base Interest Rates")',
            run: () => {},
        },
        {
            content: "Add the rate of a new half-year",
            trigger: ".o_list_button_add",
        },
        {
            content: "Enter the valid-from date",
            trigger: '.o_selected_row div[name="date_from"] input',
            run: "text 07/01/2040",
        },
        {
            content: "Enter the rate",
            trigger: '.o_selected_row div[name="rate"] input',
            run: "text -0.5",
        },
        {
            content: "Save the row",
            trigger: ".o_list_button_save",
        },
        {
            content: "The new rate is saved at the top of the list",
            trigger: '.o_data_row:first td[name="rate"]:contains("-0.50")',
            extra_trigger: ".o_list_button_add:visible",
            run: () => {},
        },
    ],
});
