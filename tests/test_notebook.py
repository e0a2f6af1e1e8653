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


def test_the_documented_command_opens_the_notebook_on_a_local_server(tmp_path: Path) -> None:
    """``jupyter lab examples/what-if.ipynb`` (the README's command, without a browser)
    serves the notebook."""
    import json
    import os
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    pytest.importorskip("jupyterlab")
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent))
    assert jupyter is not None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [jupyter, "lab", "examples/what-if.ipynb", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", "--ServerApp.token=lab-rules-test", "--ServerApp.port_retries=0",
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path),
             "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
             "JUPYTER_DATA_DIR": str(tmp_path / "data")})
    try:
        base = f"http://127.0.0.1:{port}/api/contents/"
        query = "?token=lab-rules-test&content=0"
        deadline = time.monotonic() + 90
        model = None
        while model is None:
            try:
                with urllib.request.urlopen(f"{base}?token=lab-rules-test", timeout=5) as answer:
                    root = {item["name"] for item in json.load(answer)["content"]}
                # the server's root is the notebook's folder (or the repository)
                path = "what-if.ipynb" if "what-if.ipynb" in root else "examples/what-if.ipynb"
                with urllib.request.urlopen(base + path + query, timeout=5) as answer:
                    model = json.load(answer)
            except OSError:
                assert server.poll() is None, "jupyter lab exited"
                assert time.monotonic() < deadline, "jupyter lab did not answer in 90 s"
                time.sleep(0.5)
        assert model is not None
        assert model["type"] == "notebook"
        assert model["name"] == "what-if.ipynb"
    finally:
        server.terminate()
        server.wait(timeout=30)
