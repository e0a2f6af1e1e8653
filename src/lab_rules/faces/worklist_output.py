"""The worklist as a caseworker reads it: a text table, CSV, JSON (``lab-rules/worklist/v1``)
and a small self-contained HTML page per caseworker or team.

Every form shows the same items in the same order (by due date), grouped as asked, with the
legal basis, what fulfils each obligation and, for a projected one, what it assumes. Person
ids are written CPR-masked (a pseudonym, when the list was made with a key, is already one);
the persons held back are listed with their reasons, so a short list never hides a lost one.
"""

from __future__ import annotations

import io
import json
import re
from html import escape
from importlib import resources
from typing import Any

from lab_rules._version import __version__
from lab_rules.core.csv_rows import CsvRows
from lab_rules.core.messages import date_text, text
from lab_rules.core.privacy import mask_cpr
from lab_rules.evaluation.worklist import Due, WorkItem, Worklist
from lab_rules.faces.text_table import table

__all__ = ["CSV_COLUMNS", "WORKLIST_SCHEMA", "html_pages", "render_worklist", "worklist_csv",
           "worklist_json", "worklist_schema"]

WORKLIST_SCHEMA = "lab-rules/worklist/v1"


def worklist_schema() -> dict[str, Any]:
    """The published JSON Schema of a ``lab-rules/worklist/v1`` document."""
    text = resources.files("lab_rules").joinpath("schemas", "worklist-v1.schema.json")
    schema: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return schema

CSV_COLUMNS = ("caseworker", "team", "person_id", "due", "state", "projected", "opens",
               "days_overdue", "rule_id", "title", "legal_basis", "group", "sequence",
               "fulfilled_by", "assumes", "confidence")

def _word(key: str, lang: str) -> str:
    return text(f"evaluation.worklist.word.{key}", lang)


def _pick(pair: tuple[str, str] | None, lang: str) -> str:
    return "" if pair is None else pair[0 if lang == "da" else 1]


def _both(pair: tuple[str, str] | None) -> dict[str, str] | None:
    return None if pair is None else {"da": pair[0], "en": pair[1]}


def _state(item: WorkItem, lang: str) -> str:
    state = text(f"evaluation.worklist.state.{item.due_state.value}", lang)
    if item.due_state is Due.OVERDUE and item.days_overdue:
        state += f" {item.days_overdue} d"
    if item.projected:
        state += f" ({_word('projected', lang)})"
    return state


def _title(item: WorkItem, lang: str) -> str:
    title = item.title_da if lang == "da" else item.title_en
    return f"{title} [{item.sequence}]" if item.sequence > 1 else title


def _heading(worklist: Worklist, lang: str) -> str:
    return (f"{_word('title', lang)} {date_text(worklist.as_of, lang)} - "
            f"{date_text(worklist.until, lang)} "
            f"({worklist.horizon.describe(lang)}): {len(worklist.items)} "
            f"{_word('items', lang)}, {worklist.persons} {_word('persons', lang)}")


def render_worklist(worklist: Worklist, by: str = "caseworker", lang: str = "da") -> str:
    """The worklist as text: per group a table by due date, then the persons held back."""
    lines = [mask_cpr(_heading(worklist, lang)), ""]
    header = (_word("due", lang), _word("state", lang), _word("person", lang),
              _word("what", lang), _word("basis", lang), _word("fulfils", lang))
    for name, items in worklist.groups(by).items():
        lines.append(f"{name} ({len(items)})")
        rows = [(date_text(i.due, lang), _state(i, lang), i.person_id, _title(i, lang),
                 i.legal_basis, _pick(i.fulfilled_by, lang)) for i in items]
        lines.append(mask_cpr("\n".join(table([header, *rows]))))
        for item in items:
            if item.assumes:
                lines.append(mask_cpr(f"  {date_text(item.due, lang)} {item.person_id} "
                                      f"{item.rule_id}: "
                                      f"{_word('assumes', lang)} "
                                      f"{_pick(item.assumes, lang)}"))
        lines.append("")
    if not worklist.items:
        lines.extend([_word("none", lang), ""])
    for held in worklist.held:
        lines.append(mask_cpr(f"{_word('held', lang)}: {held.person_id}: "
                              + "; ".join(held.reasons)))
    return "\n".join(lines).rstrip() + "\n"


def _row(item: WorkItem, lang: str) -> list[str]:
    return [item.caseworker or "", item.team or "", item.person_id, item.due.isoformat(),
            item.due_state.value, "true" if item.projected else "false", item.opens.isoformat(),
            "" if item.days_overdue is None else str(item.days_overdue), item.rule_id,
            _title(item, lang), item.legal_basis, item.group, str(item.sequence),
            _pick(item.fulfilled_by, lang), _pick(item.assumes, lang), item.confidence]


def worklist_csv(worklist: Worklist, lang: str = "da") -> str:
    """The items as CSV (``CSV_COLUMNS``), by due date; the caller groups or filters."""
    out = io.StringIO()
    writer = CsvRows(out)
    writer.writerow(CSV_COLUMNS)
    for item in worklist.items:
        writer.writerow(_row(item, lang))
    return mask_cpr(out.getvalue())


def _item_json(item: WorkItem) -> dict[str, Any]:
    return {
        "person_id": mask_cpr(item.person_id), "caseworker": item.caseworker,
        "team": item.team, "due": item.due.isoformat(), "opens": item.opens.isoformat(),
        "state": item.due_state.value, "projected": item.projected,
        "assumes": _both(item.assumes), "days_overdue": item.days_overdue, "rule_id": item.rule_id,
        "title": {"da": item.title_da, "en": item.title_en},
        "legal_basis": item.legal_basis, "group": item.group, "sequence": item.sequence,
        "fulfilled_by": _both(item.fulfilled_by), "confidence": item.confidence,
    }


def worklist_json(worklist: Worklist, by: str = "caseworker") -> dict[str, Any]:
    """The worklist as a ``lab-rules/worklist/v1`` document: groups of items, the persons
    held back, and the counts."""
    return {
        "schema": WORKLIST_SCHEMA, "lab_rules_version": __version__,
        "as_of": worklist.as_of.isoformat(), "horizon": str(worklist.horizon),
        "until": worklist.until.isoformat(), "by": by, "persons": worklist.persons,
        "items": len(worklist.items),
        "groups": [{"name": mask_cpr(name), "items": [_item_json(i) for i in items]}
                   for name, items in worklist.groups(by).items()],
        "held": [{"person_id": mask_cpr(h.person_id),
                  "reasons": [mask_cpr(r) for r in h.reasons]} for h in worklist.held],
    }


_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; max-width: 1100px;
       color: #212121; }
h1 { font-size: 20px; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px;
         border-bottom: 1px solid #e0e0e0; }
th { background: #f5f5f5; } td.date { white-space: nowrap; }
.overdue { color: #c62828; font-weight: 600; } .opens { color: #1565c0; }
.projected { font-style: italic; } .small { font-size: 12px; color: #616161; }
@media print { body { margin: 0; max-width: none; } }
"""


def _slug(name: str) -> str:
    """A file name for the group *name*: CPR-masked first (a caseworker or team named by a
    number is a name like any other), then reduced to letters, digits, ``_`` and ``-``."""
    return re.sub(r"[^0-9A-Za-z_-]+", "-", mask_cpr(name)).strip("-") or "group"


def html_pages(worklist: Worklist, by: str = "caseworker", lang: str = "da"
               ) -> dict[str, str]:
    """One self-contained page per group (file name to HTML), and ``index.html`` listing
    them with their counts and the persons held back."""
    pages: dict[str, str] = {}
    links = []
    for name, items in worklist.groups(by).items():
        file = f"{_slug(name)}.html"
        while file in pages:
            file = f"{file[:-5]}-x.html"
        rows = "".join(_html_row(i, lang) for i in items)
        body = (f"<h1>{escape(name)}</h1><p class=small>{escape(_heading(worklist, lang))}</p>"
                f"<table><thead><tr><th>{_word('due', lang)}</th><th>{_word('state', lang)}"
                f"</th><th>{_word('person', lang)}</th><th>{_word('what', lang)}</th>"
                f"<th>{_word('basis', lang)}</th><th>{_word('opens', lang)}</th>"
                f"<th>{_word('fulfils', lang)}</th></tr></thead><tbody>{rows}</tbody></table>")
        pages[file] = _page(name, body, lang)
        links.append(f'<li><a href="{escape(file)}">{escape(name)}</a> ({len(items)})</li>')
    held = "".join(f"<li>{escape(h.person_id)}: {escape('; '.join(h.reasons))}</li>"
                   for h in worklist.held)
    index = (f"<h1>{_word('title', lang)}</h1><p class=small>"
             f"{escape(_heading(worklist, lang))}</p><ul>{''.join(links)}</ul>"
             + (f"<h2>{_word('held', lang)}</h2><ul>{held}</ul>" if held else "")
             + ("" if worklist.items else f"<p>{_word('none', lang)}</p>"))
    pages["index.html"] = _page(_word("title", lang), index, lang)
    return {file: mask_cpr(text) for file, text in pages.items()}


def _html_row(item: WorkItem, lang: str) -> str:
    state = item.due_state.value
    assumes = (f"<div class=small>{_word('assumes', lang)}: "
               f"{escape(_pick(item.assumes, lang))}</div>" if item.assumes else "")
    return (f'<tr class="{state}{" projected" if item.projected else ""}" '
            f'data-due="{item.due}" data-rule="{escape(item.rule_id)}" '
            f'data-person="{escape(item.person_id)}" '
            f'data-projected="{str(item.projected).lower()}">'
            f"<td class=date>{date_text(item.due, lang)}</td>"
            f"<td class={state}>{escape(_state(item, lang))}</td>"
            f"<td>{escape(item.person_id)}</td><td>{escape(_title(item, lang))}{assumes}</td>"
            f"<td>{escape(item.legal_basis)}</td><td class=date>{date_text(item.opens, lang)}</td>"
            f"<td>{escape(_pick(item.fulfilled_by, lang))}</td></tr>")


def _page(title: str, body: str, lang: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
            f"<body>{body}<p class=small>lab-rules {__version__}</p></body></html>\n")
