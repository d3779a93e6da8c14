/** @odoo-module */

import { registry } from "@web/core/registry";

// The customer opens the reply page of a reminder (no login), first sends an amount of 0 and
// is told what to fix, then says they paid and changes it to "I need more time". The test
// (tests/test_followup_replies.py) opens the page and checks what was recorded.
registry.category("web_tour.tours").add("payment_followup_reply_tour", {
    steps: () => [
        {
            content: "The page shows the reminder's customer and its invoice",
            trigger: "p:has([name=customer]:contains('Kunde Eins GmbH')) ~ table[name=items] td:contains('INV/')",
        },
        {
            content: "Open the answer 'I have paid'",
            trigger: "details[name=paid] summary",
            run: "click",
        },
        {
            content: "Enter an amount of 0",
            trigger: "details[name=paid] input[name=amount]",
            run: "edit 0",
        },
        {
            content: "Send",
            trigger: "details[name=paid] button[name=submit_paid]",
            run: "click",
        },
        {
            content: "The page says what to fix",
            trigger: ".alert-danger[name=errors]:contains('Enter the amount you paid (more than 0).')",
        },
        {
            content: "Enter the amount paid, the German way",
            trigger: "details[name=paid][open] input[name=amount]",
            run: "edit 250,00",
        },
        {
            content: "Enter the payment reference",
            trigger: "details[name=paid][open] input[name=reference]",
            run: "edit Reply Tour Transfer",
        },
        {
            content: "Send again",
            trigger: "details[name=paid][open] button[name=submit_paid]",
            run: "click",
        },
        {
            content: "The answer is received",
            trigger: ".alert-success[name=thanks]:contains('Thank you, we have received your answer.')",
        },
        {
            content: "The form shows the answer given",
            trigger: "details[name=paid] p:contains('250.00')",
        },
    ],
});
