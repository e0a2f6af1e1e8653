"""Rule files: schema (model), strict loader, checker and the bundled national pack."""

from lab_rules.law.loader import (
    RuleError,
    bundled_pack,
    bundled_rules_dir,
    load_module,
    load_pack,
)
from lab_rules.law.model import (
    Anchor,
    Clock,
    Confidence,
    Effect,
    LegalBasis,
    Rule,
    RuleModule,
    RulePack,
    Shape,
)

__all__ = [
    "Anchor",
    "Clock",
    "Confidence",
    "Effect",
    "LegalBasis",
    "Rule",
    "RuleError",
    "RuleModule",
    "RulePack",
    "Shape",
    "bundled_pack",
    "bundled_rules_dir",
    "load_module",
    "load_pack",
]
