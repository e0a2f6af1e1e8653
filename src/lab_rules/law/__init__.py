"""The law as data: the rule and parameter models, the one strict loader of ``rules/`` (the
:class:`Law` bundle), overlays, policies (named readings where the law is silent) and
coverage. Never evaluates a timeline; imports only core, calendar and itself."""

from lab_rules.law.bundle import Law, bundled_law, bundled_pack, load_law
from lab_rules.law.loader import (
    RuleError,
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
    "Law",
    "LegalBasis",
    "Rule",
    "RuleError",
    "RuleModule",
    "RulePack",
    "Shape",
    "bundled_law",
    "bundled_pack",
    "bundled_rules_dir",
    "load_law",
    "load_module",
    "load_pack",
]
