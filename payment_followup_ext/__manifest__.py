{
    "name": "Payment Follow-up (Germany)",
    "summary": "Payment reminders, dunning levels, fees and statutory late interest (BGB)",
    "version": "17.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "payment_followup_ext developers",
    "website": "https://github.com/payment-followup-ext/payment_followup_ext",
    "license": "LGPL-3",
    "depends": ["account", "account_qr_code_sepa", "mail"],
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/payment_followup_base_rate_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/payment_followup_policy_data.xml",
        "report/payment_followup_reports.xml",
        "report/payment_followup_templates.xml",
        "views/payment_followup_base_rate_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/payment_followup_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "payment_followup_ext/static/tests/tours/**/*",
        ],
    },
}
