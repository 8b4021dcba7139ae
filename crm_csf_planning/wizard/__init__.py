from . import crm_csf_drop
