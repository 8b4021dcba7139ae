from . import crm_csf
