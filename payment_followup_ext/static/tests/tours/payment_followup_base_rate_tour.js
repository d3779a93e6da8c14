/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("payment_followup_base_rate_tour", {
    url: "/web",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Invoicing app",
            trigger: '.o_app[data-menu-xmlid="account.menu_finance"]',
            run: "click",
        },
        {
            content: "Open the configuration menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="account.menu_finance_configuration"]',
            run: "click",
        },
        {
            content: "Open the base interest rates",
            trigger: '.dropdown-item[data-menu-xmlid="payment_followup_ext.payment_followup_base_rate_menu"]',
            run: "click",
        },
        {
            content: "The base interest rates are listed",
            trigger: '.o_breadcrumb:contains("Base Interest Rates")',
        },
        {
            content: "The shipped rate of the 2nd half-year 2023 is listed",
            trigger: '.o_data_row td[name="date_from"]:contains("07/01/2023")',
        },
        {
            content: "Add the rate of a new half-year",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Enter the valid-from date",
            trigger: '.o_selected_row div[name="date_from"] input',
            run: "edit 07/01/2040",
        },
        {
            content: "Enter the rate",
            trigger: '.o_selected_row div[name="rate"] input',
            run: "edit -0.5",
        },
        {
            content: "Save the row",
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            content: "The row is saved",
            trigger: ".o_list_button_add:visible",
        },
        {
            content: "The new rate is saved at the top of the list",
            trigger: '.o_data_row:first td[name="rate"]:contains("-0.50")',
        },
    ],
});
