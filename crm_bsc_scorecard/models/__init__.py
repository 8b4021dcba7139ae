from . import crm_bsc_perspective
