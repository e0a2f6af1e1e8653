"""The failures, sanctions and the 225-hour rule of one evaluation as lines of text, as
``lab-rules sanctions --format text`` prints them: every line in the one language asked for
(the catalogue's ``sanctions.*`` sentences and the rule files' texts in that language)."""

from __future__ import annotations

from lab_rules.core.messages import text, words
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.result import Evaluation


def sanctions_lines(evaluation: Evaluation, lang: str = "da") -> list[str]:
    """One line per failure (with its notes indented), the 225-hour rule and the policies."""
    lines = []
    for sanction in evaluation.sanctions:
        lines.append(sanction.explain(lang))
        lines.extend("  " + text("word.note", lang, note=words(note, lang))
                     for note in sanction.notes)
    if not evaluation.sanctions:
        lines.append(text("sanctions.none", lang))
    if evaluation.hours_rule is not None:
        lines.append(evaluation.hours_rule.explain(lang))
    lines.append(text("word.policies", lang,
                      policies=", ".join(f"{k}={v}" for k, v in evaluation.policies)))
    return [mask_cpr(line) for line in lines]
