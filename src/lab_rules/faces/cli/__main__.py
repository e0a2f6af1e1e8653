"""``python -m lab_rules.faces.cli``: the same as the ``lab-rules`` command, behind the same
guard against Ctrl-C, SIGTERM and SIGHUP (:mod:`lab_rules.faces.command`)."""

import sys

from lab_rules.faces.command import program

sys.exit(program())
