"""``python -m lab_rules.faces.cli``: the same as the ``lab-rules`` command."""

import sys

from lab_rules.faces.cli import main

sys.exit(main())
