"""The benchmarks stay runnable (issue 14: "keep the benchmark runnable"): each script, on a
tiny input, exits 0 and prints its figures. These are smoke runs, not timings."""

from __future__ import annotations

import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

RUNS = {
    "bench_targets.py": (["--timelines", "4", "--repeat", "1"], "full evaluation", ()),
    "bench_evaluate.py": (["--timelines", "10"], "timelines/second", ()),
    "bench_long_timeline.py": (["--events", "200"], "µs per event", ()),
    "bench_batch.py": (["--persons", "12", "--workers", "2", "--fast-path", "off",
                        "--years", "2,10"], "1,000,000 persons, 10-year", ()),
    "bench_columnar.py": (["--persons", "60", "--repeat", "1"], "columnar path",
                          ("polars",)),
}


@pytest.mark.parametrize("script", sorted(RUNS))
def test_a_benchmark_runs_on_a_tiny_input(script: str, tmp_path: Path) -> None:
    arguments, says, needs = RUNS[script]
    for module in needs:
        if find_spec(module) is None:
            pytest.skip(f"{script} needs {module}")
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *arguments],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert says in done.stdout, done.stdout[-2000:]
