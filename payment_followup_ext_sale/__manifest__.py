{
    "name": "Payment Follow-up: Sales",
    "summary": "Shows a customer's service suspension on its quotations and sales orders",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "payment_followup_ext developers",
    "website": "https://github.com/payment-followup-ext/payment_followup_ext",
    "license": "LGPL-3",
    "depends": ["payment_followup_ext", "sale"],
    "data": ["views/sale_order_views.xml"],
    "auto_install": True,
}
