from . import test_csf
from . import test_commitment
from . import test_health
from . import test_action
from . import test_process
from . import test_assessment
