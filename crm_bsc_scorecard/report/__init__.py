from . import crm_bsc_channel_coverage
from . import crm_customer_cohort
