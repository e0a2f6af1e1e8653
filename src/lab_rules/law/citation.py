"""Citations as the law writes them: ``LAB lbk 280/2024 § 31, stk. 1, 2. pkt.``.

A rule's ``legal_basis`` is such a string, so that one ``grep`` of the words of the law finds
the rule that implements them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lab_rules.law.model import LegalBasis
from lab_rules.law.reader import _Reader

BASIS_KEYS = {"act", "paragraph", "stk", "nr", "pkt", "source"}


_CITATION = re.compile(
    r"^(?P<act>.+) § (?P<paragraph>[^,]+?)(?:, stk\. (?P<stk>[^,]+?))?(?:, nr\. (?P<nr>[^,]+?))?"
    r"(?:, (?P<pkt>\d+)\. pkt\.)?$")
"""A citation as the law writes it: ``LAB lbk 280/2024 § 31, stk. 1, 2. pkt.``."""


def parse_citation(text: str, source: str) -> LegalBasis | None:
    """The :class:`LegalBasis` of a citation string, or None when it is not one."""
    match = _CITATION.match(text.strip())
    if match is None:
        return None
    return LegalBasis(match["act"], match["paragraph"], source, match["stk"], match["nr"],
                      match["pkt"])


def _legal_basis(reader: _Reader, raw: Mapping[str, Any], module: Mapping[str, Any],
                 path: str) -> LegalBasis | None:
    """A rule's ``legal_basis``: a citation string as the law writes it (``"LAB lbk 280/2024
    § 31, stk. 4"``, so that one grep finds the rule), with ``legal_source`` when the act's
    source is not the module's; the older table form (paragraph, stk, nr, pkt, act, source)
    is still read."""
    basis_raw = raw.get("legal_basis")
    default_source = raw.get("legal_source", module.get("source"))
    if basis_raw is None:
        reader.problem(path, 'missing required key "legal_basis": every rule must cite its § '
                       '(legal_basis = "LAB lbk 280/2024 § 31, stk. 4")')
        return None
    if isinstance(basis_raw, str):
        if not isinstance(default_source, str) or not default_source:
            reader.problem(path, 'missing "legal_source" (on the rule or source in [module])')
            return None
        basis = parse_citation(basis_raw, default_source)
        if basis is None:
            reader.problem(f"{path}.legal_basis", f"{basis_raw!r} is not a citation like "
                           '"LAB lbk 280/2024 § 31, stk. 4, 2. pkt."')
        return basis
    if not isinstance(basis_raw, dict):
        reader.problem(f"{path}.legal_basis", "must be a citation string (or a table with act, "
                       "paragraph, stk, nr, pkt)")
        return None
    bpath = f"{path}.legal_basis"
    reader.check_keys(basis_raw, BASIS_KEYS, bpath)
    act = reader.text(basis_raw, "act", bpath, default=module.get("act"))
    paragraph = reader.text(basis_raw, "paragraph", bpath)
    source = reader.text(basis_raw, "source", bpath, default=module.get("source"))
    optional = {k: str(basis_raw[k]) if isinstance(basis_raw.get(k), int) else reader.text(
        basis_raw, k, bpath, required=False) for k in ("stk", "nr", "pkt")}
    for key in ("stk", "nr", "pkt"):  # a number of the law: 1 or more (true is no number)
        if isinstance(basis_raw.get(key), int):
            reader.integer(basis_raw, key, bpath, None, minimum=1)
    if act and paragraph and source:
        return LegalBasis(act, paragraph, source, **optional)
    return None
