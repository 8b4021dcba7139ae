# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The indicator engine, Odoo side: plain modules, no models.

- ``sql``: SQL building blocks (periods, grouping sets, running totals);
- ``transactions``: what a customer transaction and customer activity are;
- ``family``: the protocol every family of built-in indicators follows;
- ``families``: one module per family, registered in ``families/__init__``;
- ``aggregate``: indicators that aggregate any model's records;
- ``processor``: a computation's lifecycle (build from a scope, add
  indicators, run the families, read the results);
- ``storage``: the results stored in bulk, scored.

The pure half (keys, results, rules, decoding, the customers' maths) is in
``tools/``; the model ``crm.bsc.engine`` is the thin entry point the cron,
the buttons and ``compute_value`` call.
"""

from . import sql, transactions, family, families, aggregate, processor, storage
