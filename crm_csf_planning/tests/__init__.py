from . import test_csf
from . import test_commitment
from . import test_health
from . import test_action
