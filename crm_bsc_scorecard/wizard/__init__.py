from . import crm_bsc_period_generate
from . import crm_bsc_scorecard_generate
from . import crm_bsc_scorecard_compute
from . import base_partner_merge_automatic_wizard
