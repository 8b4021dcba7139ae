# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customers-at-risk sheet of the workbook (customer analytics).

Pure Python (no Odoo import): a sheet writer as xlsx_workbook.build runs
them, reading ``book.data["customers_at_risk"]``:

    {"note": text, "rows": [{customer, company, segment, salesperson, team,
     risk_band, stage, p_alive (0-100), churn (0-100), expected_90d,
     predicted_clv, total_value, transactions, last_date (date),
     recency_days, rfm, currency ({symbol, position, digits}) or None}],
     "multi_company": bool}

Absent (None): no sheet. Rows with no probability (no fitted model) leave
those cells blank.
"""

TITLE_ROW, NOTE_ROW, HEADER_ROW = 0, 1, 3

COLUMNS = (
    ("customer", "customer", "text", 32),
    ("company", "company", "text", 20),
    ("segment", "segment", "text", 18),
    ("salesperson", "salesperson", "text", 20),
    ("team", "team", "text", 18),
    ("risk_band", "risk_band", "text", 11),
    ("stage", "lifecycle_stage", "text", 13),
    ("p_alive", "p_alive", "percent", 12),
    ("churn", "churn_propensity", "percent", 12),
    ("expected_90d", "expected_90d", "number", 13),
    ("predicted_clv", "predicted_clv", "currency", 15),
    ("total_value", "total_value", "currency", 15),
    ("transactions", "transactions", "int", 12),
    ("last_date", "last_transaction", "date", 13),
    ("recency_days", "recency_days", "int", 12),
    ("rfm", "rfm", "text", 8),
)

LABELS = {
    "customers_at_risk": "Customers at Risk",
    "customer": "Customer",
    "company": "Company",
    "risk_band": "Risk band",
    "lifecycle_stage": "Lifecycle stage",
    "p_alive": "Probability alive",
    "churn_propensity": "Churn propensity",
    "expected_90d": "Expected transactions (90 days)",
    "predicted_clv": "Predicted lifetime value",
    "total_value": "Total value",
    "transactions": "Transactions",
    "last_transaction": "Last transaction",
    "recency_days": "Days since last transaction",
    "rfm": "RFM",
    "no_customer_at_risk": "No customer in the high risk band.",
}


def columns(data):
    """The sheet's columns: the company only when several are exported."""
    if data.get("multi_company"):
        return list(COLUMNS)
    return [column for column in COLUMNS if column[0] != "company"]


def write_customers_at_risk_sheet(book):
    """The customers in the high risk band with their scores and their
    salesperson, most value at stake first, as an Excel table."""
    data = book.data.get("customers_at_risk")
    if data is None:
        return None
    for key, text in LABELS.items():
        book.labels.setdefault(key, text)
    ws = book.add_sheet(
        "customers_at_risk", book.label("customers_at_risk"), "Customers at Risk"
    )
    ws.write_string(TITLE_ROW, 0, book.label("customers_at_risk"), book.title)
    rows = data.get("rows") or []
    note = data.get("note") or ("" if rows else book.label("no_customer_at_risk"))
    if note:
        ws.write_string(NOTE_ROW, 0, note, book.fmt(italic=True))
    cols = columns(data)
    last = book.write_table(
        ws, HEADER_ROW, cols, rows, name="CustomersAtRisk", freeze_cols=1
    )
    churn_col = [key for key, *_rest in cols].index("churn")
    if rows:
        # the higher the churn propensity, the redder
        ws.conditional_format(
            HEADER_ROW + 1,
            churn_col,
            last,
            churn_col,
            {
                "type": "2_color_scale",
                "min_type": "num",
                "min_value": 0,
                "max_type": "num",
                "max_value": 100,
                "min_color": "#FFFFFF",
                "max_color": "#F8696B",
            },
        )
    return ws


SHEETS = (write_customers_at_risk_sheet,)
