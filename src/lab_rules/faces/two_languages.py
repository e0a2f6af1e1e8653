"""A page in both languages with a toggle between them, as the audit pack still renders it (the
case report renders one language per page; issue 16): the toggle's styles and script, a text
in both languages, and money figures in both forms."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from html import escape

from lab_rules.core.messages import number_text
from lab_rules.faces.report import PAGE_CSS

__all__ = ["CSS", "SCRIPT", "both", "money_pair"]


CSS = PAGE_CSS + """
body[data-lang="da"] [lang="en"], body[data-lang="en"] [lang="da"] { display: none; }
button#lang-toggle { font: inherit; padding: 4px 12px; border: 1px solid var(--ink);
                     background: #fff; border-radius: 4px; cursor: pointer; }
@media print { button#lang-toggle { display: none; } }
"""

SCRIPT = """
(function () {
  var body = document.body;
  function set(lang) {
    body.setAttribute("data-lang", lang);
    document.documentElement.setAttribute("lang", lang);
    document.getElementById("lang-toggle").textContent = lang === "da" ? "English" : "Dansk";
  }
  var wanted = window.location.search.match(/[?&]lang=(da|en)/);
  set(wanted ? wanted[1] : body.getAttribute("data-lang"));
  document.getElementById("lang-toggle").addEventListener("click", function () {
    set(body.getAttribute("data-lang") === "da" ? "en" : "da");
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
"""


def both(da: str, en: str) -> str:
    """A text in both languages, one shown by the toggle (the audit pack's pages)."""
    return f'<span lang="da">{escape(da)}</span><span lang="en">{escape(en)}</span>'


def money_pair(value: str | None) -> tuple[str, str, str]:
    """(data value, Danish figure, English figure) of a JSON money string, rounded to øre
    (the audit pack's pages)."""
    if value is None:
        return "", "–", "–"
    amount = Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(amount), number_text(amount, "da"), number_text(amount, "en")
