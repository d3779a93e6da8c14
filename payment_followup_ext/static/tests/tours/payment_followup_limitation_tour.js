/** @odoo-module */

import { registry } from "@web/core/registry";

// An accountant records the customer's acknowledgement of an old claim on its invoice
// (§ 212 BGB): the limitation period begins anew, the chatter says so.
registry.category("web_tour.tours").add("payment_followup_limitation_tour", {
    steps: () => [
        {
            content: "The invoice is open",
            trigger: '.o_form_view .o_field_widget[name="name"]:contains("INV/")',
        },
        {
            content: "Record the customer's acknowledgement",
            trigger: '.o_form_view button[name="action_payment_followup_acknowledge"]',
            run: "click",
        },
        {
            content: "Say how the customer acknowledged the claim",
            trigger: '.modal div[name="note"] input',
            run: "edit Saldenbestätigung unterschrieben",
        },
        {
            content: "Record it",
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The chatter notes the acknowledgement and the new limitation date",
            trigger: '.o-mail-Message:contains("Saldenbestätigung unterschrieben"):contains("time-barred after")',
        },
        {
            content: "Open the tab with the follow-up information",
            trigger: '.o_notebook a[name="other_info"]',
            run: "click",
        },
        {
            content: "The invoice shows the day of the acknowledgement",
            trigger: '.o_field_widget[name="payment_followup_acknowledged_on"]:not(:empty)',
        },
        {
            content: "The limitation is running again",
            trigger: '.o_field_widget[name="payment_followup_limitation_state"]:contains("Running")',
        },
    ],
});
