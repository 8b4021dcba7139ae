from . import crm_bsc_channel_coverage
