"""The law's content hash names what the rule files say, not their bytes (issue 15, point 4)."""

from __future__ import annotations

import shutil
from pathlib import Path

from lab_rules.law import bundled_law
from lab_rules.law.bundle import load_law
from lab_rules.law.loader import bundled_rules_dir
from lab_rules.law.overlay import apply_overlays, load_overlay


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "law"
    shutil.copytree(bundled_rules_dir(), folder)
    return folder


def test_a_crlf_checkout_has_the_same_content_hash(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    for file in folder.rglob("*.toml"):
        file.write_bytes(file.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert load_law(folder).content_hash == bundled_law().content_hash


def test_reformatting_a_file_keeps_the_hash_and_changing_a_value_does_not(
        tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    staircase = folder / "parameters" / "refusionstrappe.toml"
    text = staircase.read_text(encoding="utf-8")
    staircase.write_text("# a comment added\n" + text.replace(" = ", "   =   "), encoding="utf-8")
    assert load_law(folder).content_hash == bundled_law().content_hash
    module = folder / "dk" / "lab" / "2024" / "dagpenge.toml"
    module.write_text(module.read_text(encoding="utf-8").replace('"P6M"', '"P7M"', 1),
                      encoding="utf-8")
    assert load_law(folder).content_hash != bundled_law().content_hash


def test_an_overlay_changes_the_hash_by_its_content() -> None:
    overlay = load_overlay(bundled_rules_dir() / "overlays" / "roedovre-genstart.toml")
    law = bundled_law()
    first = apply_overlays(law, [overlay]).content_hash
    assert first != law.content_hash
    assert apply_overlays(law, [overlay]).content_hash == first


def test_an_evaluation_names_the_law_that_produced_it() -> None:
    import json
    from datetime import date

    from lab_rules import dumps_evaluation, evaluate, load_timeline, variant
    from lab_rules.law import bundled_law

    timeline = load_timeline(Path(__file__).resolve().parents[1] / "examples" / "timelines"
                             / "jobparat-kontanthjaelp-noshow.json")
    national = json.loads(dumps_evaluation(evaluate(timeline, as_of=date(2024, 10, 1))))
    assert national["law"] == {"content_hash": bundled_law().content_hash, "overlays": []}
    chosen = variant("roedovre-genstart")
    other = json.loads(dumps_evaluation(evaluate(timeline, as_of=date(2024, 10, 1),
                                                 law=chosen.law)))
    assert other["law"]["content_hash"] == chosen.law.content_hash
    assert other["law"]["content_hash"] != national["law"]["content_hash"]
    assert other["law"]["overlays"] == list(chosen.law.overlays)
    assert other["law"]["overlays"]
