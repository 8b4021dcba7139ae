# Pure Python helpers of the planning addon: they import nothing from Odoo,
# so that tier 1 tests them without a server.
from . import contribution, did, health, maturity, signals, xlsx_planning
