"""What a shape needs besides its entry and the failure: the day of knowledge, the policies,
the earlier failures it counts (unexcused, or the earlier lapses in a sygedagpengeforløb) and
whether the person is insured part-time."""

from __future__ import annotations

from datetime import date

import attrs

from lab_rules.facts.failures import Failure
from lab_rules.law.policies import Policies


@attrs.frozen
class Context:
    as_of: date
    policies: Policies
    earlier: tuple[Failure, ...] = ()
    part_time: bool = False
