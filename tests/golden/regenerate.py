"""Produce every output that ``tests/test_golden_outputs.py`` pins, and (run as a script)
record it as the golden files in ``tests/golden/outputs/``.

    .venv/bin/python tests/golden/regenerate.py [--allow-uncommitted]

Run it from a clean checkout of the commit whose results are to be pinned: the script refuses
to run when ``lab_rules`` is imported from anywhere but this checkout's ``src`` or the bundled
law is read from anywhere but its ``rules``, because golden files recorded from other code
would pin the wrong results. Regenerating is a deliberate act: a change of results must say
in its commit why the figures changed.

Why these outputs: issue 14 requires that speed work changes no figure. The batch tables of
the bundled caseload (one worker, two workers, the Arrow reader, without refund), the
comparison of variants, the caseworker's text, and the evaluation JSON of every example (at
several dates, under every non-default policy and under overlays) and of a few hundred
synthetic cases (full, and deadlines only) cover every output the library writes.

The store is two files: ``manifest.json`` (text; the SHA-256 of every item's UTF-8 bytes, so
a regeneration's diff names the items that changed) and ``texts.json.xz`` (the full text of
most items, keyed by SHA-256, so a failing test can show what changed; xz because the texts
repeat each other's law quotations and compress ~100-fold together). The manifest also holds
the hashes of the inputs (``inputs/...``: the caseload, the examples, the synthetic cases),
so that a changed result can be told apart from a changed input.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import lzma
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import lab_rules
from lab_rules import Timeline, dumps_evaluation, dumps_timeline, evaluate, load_timeline, variant
from lab_rules.faces.cli import main as lab_rules_main
from lab_rules.inputs.synth import synthetic_timeline
from lab_rules.law.loader import bundled_rules_dir

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = Path(__file__).resolve().parent / "outputs"
MANIFEST = OUTPUTS / "manifest.json"
TEXTS = OUTPUTS / "texts.json.xz"

CASELOAD = ROOT / "examples" / "caseload" / "caseload.jsonl"
CASELOAD_AS_OF = "2026-01-01"
ROEDOVRE = ROOT / "examples" / "roedovre" / "roedovre-2008.json"
NOSHOW = ROOT / "examples" / "timelines" / "jobparat-kontanthjaelp-noshow.json"


def example_files() -> list[Path]:
    """The bundled example timelines and the Rødovre case."""
    return [*sorted((ROOT / "examples" / "timelines").glob("*.json")), ROEDOVRE]


EXAMPLE_DATES = (date(2024, 10, 1), date(2025, 6, 30), date(2026, 12, 1))
"""Dates every example is evaluated at; the Rødovre case (2008) also at its own two."""
ROEDOVRE_DATES = (date(2008, 9, 30), date(2009, 1, 1))
VARIANT_AS_OF = date(2026, 12, 1)

POLICY_SWAPS = (
    ("no_show", "timely_summons_counts"), ("no_show", "restart_from_contact"),
    ("loss_from", "day_after_due"), ("sanction_contact_day", "inclusive"),
    ("sanction_days", "weekdays"), ("sanction_cap", "paid"),
    ("sanction_deadline", "from_failure_day"), ("staircase_restart", "at_next_benefit_week"),
    ("month_split", "paid_days"), ("version_selector", "opens"), ("version_selector", "due"),
    ("version_selector", "course_start"),
)
"""Every non-default policy value (README, "Policies"), one at a time."""
ALL_NON_DEFAULT = {"no_show": "restart_from_contact", "loss_from": "day_after_due",
                   "sanction_contact_day": "inclusive", "sanction_days": "weekdays",
                   "sanction_cap": "paid", "sanction_deadline": "from_failure_day",
                   "staircase_restart": "at_next_benefit_week", "month_split": "paid_days",
                   "version_selector": "due"}

VARIANTS = ("roedovre-genstart", "koebenhavn-kvartal", "refusionstrappe-6-uger",
            "akasser-faellessamtale-uge-11+akasser-jobforslag-afskaffet"
            "+akasser-frivillig-selvbooking", "law:2019-06-01")
"""Overlays, combined overlays and the law of another year (README, "What-if")."""

BATCH_MODES: dict[str, tuple[str, ...]] = {
    "default": ("--workers", "1", "--reader", "python"),
    "workers-2": ("--workers", "2", "--reader", "python"),
    "arrow": ("--workers", "1", "--reader", "arrow"),
    "no-refund": ("--workers", "1", "--reader", "python", "--no-refund"),
}
RUN_RESULTS = ("lab_rules", "rule_pack", "law_hash", "as_of", "policies", "table_format",
               "refund", "person_ids", "persons", "evaluated", "quarantined", "obligations",
               "sanctions", "accounting", "reader_rows", "files", "complete")
"""The fields of ``run.json`` that are results. The others say how the run went (timing, the
clock, the path as typed, workers, reader, which fast path) and may differ between runs and
ways of running that give the same tables."""
COMPARE_VARIANTS = ("roedovre-genstart", "koebenhavn-kvartal", "refusionstrappe-6-uger")

SYNTHETIC = {2: (20141, 200), 5: (20145, 80), 10: (20150, 40)}
"""Years of a synthetic case -> (seed of its ``random.Random``, number of cases)."""
SYNTHETIC_MODES = {"full": True, "deadlines": False}
"""Full evaluation (refund and sanctions) or deadlines only (neither)."""
SYNTHETIC_TEXTS = 20
"""The first this many cases of every length and mode are stored in full; the rest by hash."""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_exact(path: Path) -> str:
    """A file's text with its line ends as written (CSV rows end in CRLF)."""
    return path.read_bytes().decode("utf-8")


def cli(*args: str) -> str:
    """Run the command in this process and return what it printed; fail on a non-zero exit."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = lab_rules_main(list(args))
    if code != 0:
        raise AssertionError(f"lab-rules {' '.join(args)} exited {code}: {err.getvalue()}")
    return out.getvalue().replace(str(ROOT), "<root>")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m lab_rules.faces.cli`` in a new process (as a user runs the command)."""
    done = subprocess.run([sys.executable, "-m", "lab_rules.faces.cli", *args],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise AssertionError(f"lab-rules {' '.join(args)} exited {done.returncode}:\n"
                             f"{done.stderr}")
    return done


def batch_items(mode: str, out: Path) -> dict[str, str]:
    """Every file of a batch run of the bundled caseload; of ``run.json`` its results."""
    run_cli("batch", str(CASELOAD), "--as-of", CASELOAD_AS_OF, "--out", str(out),
            *BATCH_MODES[mode])
    items: dict[str, str] = {}
    for path in sorted(out.iterdir()):
        if path.name == "run.json":
            run = json.loads(read_exact(path))
            results = {field: run.get(field) for field in RUN_RESULTS}
            items[f"batch/{mode}/run.json"] = json.dumps(results, indent=2,
                                                         ensure_ascii=False) + "\n"
        else:
            items[f"batch/{mode}/{path.name}"] = read_exact(path)
    return items


def compare_items(out: Path) -> dict[str, str]:
    """The comparison of the demo's variants on the bundled caseload: printed and written."""
    variants = [arg for name in COMPARE_VARIANTS for arg in ("--variant", name)]
    done = run_cli("compare", str(CASELOAD), "--as-of", CASELOAD_AS_OF, *variants,
                   "--workers", "1", "--lang", "en", "--out", str(out))
    items = {"compare/stdout.txt": done.stdout}
    items.update({f"compare/{path.name}": read_exact(path) for path in sorted(out.iterdir())})
    return items


def cli_text_items() -> dict[str, str]:
    """The caseworker's and the analyst's text, as ``tasks.py demo`` prints it."""
    items: dict[str, str] = {}
    for path in example_files():
        for lang in ("en", "da"):
            items[f"cli/evaluate/{path.stem}@2025-06-30.{lang}.txt"] = cli(
                "evaluate", str(path), "--as-of", "2025-06-30", "--format", "text",
                "--lang", lang)
    items["cli/sanctions/jobparat-kontanthjaelp-noshow@2024-10-01.en.txt"] = cli(
        "sanctions", str(NOSHOW), "--as-of", "2024-10-01", "--format", "text", "--lang", "en")
    for policy in ("late_until_held", "timely_summons_counts", "restart_from_contact"):
        items[f"cli/refund/roedovre-2008@2008-09-30.no_show={policy}.en.txt"] = cli(
            "refund", str(ROEDOVRE), "--as-of", "2008-09-30", "--format", "text", "--lang", "en",
            "--policy", f"no_show={policy}")
    return items


def example_items() -> dict[str, str]:
    """The evaluation JSON of every example at every date."""
    items: dict[str, str] = {}
    for path in example_files():
        timeline = load_timeline(path)
        dates = EXAMPLE_DATES + (ROEDOVRE_DATES if path == ROEDOVRE else ())
        for day in dates:
            items[f"evaluation/{path.stem}@{day}.json"] = dumps_evaluation(
                evaluate(timeline, as_of=day))
    return items


def policy_items() -> dict[str, str]:
    """Every example under each non-default policy value, and under all of them at once."""
    swaps = [(f"{name}={value}", {name: value}) for name, value in POLICY_SWAPS]
    swaps.append(("all-non-default", ALL_NON_DEFAULT))
    items: dict[str, str] = {}
    for path in example_files():
        timeline = load_timeline(path)
        for label, policies in swaps:
            items[f"policy/{path.stem}@{VARIANT_AS_OF}/{label}.json"] = dumps_evaluation(
                evaluate(timeline, as_of=VARIANT_AS_OF, policies=policies))
    return items


def variant_items() -> dict[str, str]:
    """Every example under overlays and the law of another year."""
    laws = [(spec, variant(spec)) for spec in VARIANTS]
    items: dict[str, str] = {}
    for path in example_files():
        timeline = load_timeline(path)
        for spec, chosen in laws:
            items[f"variant/{path.stem}@{VARIANT_AS_OF}/{spec}.json"] = dumps_evaluation(
                evaluate(timeline, as_of=VARIANT_AS_OF, law=chosen.law,
                         policies=dict(chosen.policies)))
    return items


def synthetic_cases(years: int) -> Iterator[tuple[int, Timeline, date]]:
    """The synthetic cases of *years* years, drawn in order from one seeded generator (case
    ``i`` needs cases ``0..i-1`` drawn first)."""
    seed, count = SYNTHETIC[years]
    rng = random.Random(seed)
    for index in range(count):
        timeline, as_of = synthetic_timeline(rng, index, years=years)
        yield index, timeline, as_of


def synthetic_items(years: int) -> dict[str, str]:
    """Full and deadline-only evaluation JSON of the synthetic cases of *years* years."""
    items: dict[str, str] = {}
    for index, timeline, as_of in synthetic_cases(years):
        for mode, full in SYNTHETIC_MODES.items():
            items[f"synthetic/{mode}/years-{years}/{index:03d}.json"] = dumps_evaluation(
                evaluate(timeline, as_of=as_of, refund=full, sanctions=full))
    return items


def input_items() -> dict[str, str]:
    """The inputs the results above are of (hashes only): when a result differs, these say
    whether its input changed too."""
    items = {f"inputs/{path.relative_to(ROOT / 'examples').as_posix()}": read_exact(path)
             for path in [CASELOAD, *example_files()]}
    for years in SYNTHETIC:
        items[f"inputs/synthetic/years-{years}.txt"] = "\n".join(
            f"{as_of}\n{dumps_timeline(timeline)}" for _, timeline, as_of in
            synthetic_cases(years))
    return items


def stores_text(name: str) -> bool:
    """Whether an item's full text is kept (all but the inputs and most synthetic cases)."""
    if name.startswith("inputs/"):
        return False
    if name.startswith("synthetic/"):
        return int(name.rsplit("/", 1)[1].split(".")[0]) < SYNTHETIC_TEXTS
    return True


def all_items() -> dict[str, str]:
    items: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for mode in BATCH_MODES:
            items.update(batch_items(mode, Path(scratch) / mode))
        items.update(compare_items(Path(scratch) / "compare"))
    items.update(cli_text_items())
    items.update(example_items())
    items.update(policy_items())
    items.update(variant_items())
    for years in SYNTHETIC:
        items.update(synthetic_items(years))
    items.update(input_items())
    return items


def load_manifest() -> dict[str, str]:
    """The golden SHA-256 of every item."""
    items: dict[str, str] = json.loads(MANIFEST.read_text(encoding="utf-8"))["items"]
    return items


def load_texts() -> dict[str, str]:
    """The golden full texts, keyed by SHA-256."""
    texts: dict[str, str] = json.loads(lzma.decompress(TEXTS.read_bytes()).decode("utf-8"))
    return texts


def _checkout_is_imported() -> None:
    imported = Path(lab_rules.__file__).resolve()
    rules = bundled_rules_dir().resolve()
    if not imported.is_relative_to(ROOT / "src") or rules != (ROOT / "rules").resolve():
        sys.exit(f"refusing: lab_rules comes from {imported} and reads {rules}, not this "
                 f"checkout ({ROOT}); run with PYTHONPATH={ROOT / 'src'}")


def _commit() -> tuple[str, bool]:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    status = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src",
                             "rules", "examples"], capture_output=True, text=True,
                            check=True).stdout
    return head, bool(status.strip())


def main(argv: list[str]) -> None:
    _checkout_is_imported()
    head, dirty = _commit()
    if dirty and "--allow-uncommitted" not in argv:
        sys.exit("refusing: src, rules or examples have uncommitted changes, so the golden "
                 f"files would not be the results of {head}; commit first, or pass "
                 "--allow-uncommitted when a deliberate change of results is to be committed "
                 "with them")
    items = all_items()
    for mode in ("workers-2", "arrow"):
        for name, text in items.items():
            if name.startswith("batch/default/"):
                twin = name.replace("/default/", f"/{mode}/")
                if items.get(twin) != text:
                    sys.exit(f"refusing: {twin} differs from {name}")
    OUTPUTS.mkdir(parents=True, exist_ok=True)
    manifest = {"commit": head, "uncommitted_changes": dirty,
                "items": {name: sha256(text) for name, text in sorted(items.items())}}
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    texts: dict[str, str] = {}
    for name, text in sorted(items.items()):
        if stores_text(name):
            texts.setdefault(sha256(text), text)
    packed = json.dumps(texts, ensure_ascii=False).encode("utf-8")
    TEXTS.write_bytes(lzma.compress(packed, preset=9 | lzma.PRESET_EXTREME))
    print(f"{len(items)} items ({len(texts)} texts) from {head}"
          f"{' with uncommitted changes' if dirty else ''} -> {OUTPUTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
