"""The what-if notebook (examples/what-if.ipynb) runs top to bottom."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "examples" / "what-if.ipynb"


def test_what_if_notebook_runs_top_to_bottom() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(NOTEBOOK).parent)}}
                            ).execute()
    outputs = [cell.get("outputs", []) for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not any(o.get("output_type") == "error" for o in out) for out in outputs)
    summary = str(outputs[2])
    assert "roedovre-genstart" in summary
    assert "koebenhavn-kvartal" in summary
    images = [o for out in outputs for o in out if "image/png" in o.get("data", {})]
    assert len(images) == 2


def test_notebook_is_stored_without_outputs() -> None:
    """Outputs are produced by running it, not kept in the repository."""
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
