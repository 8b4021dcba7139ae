from . import test_csf
