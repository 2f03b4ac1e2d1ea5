"""``pmqa lab``: JupyterLab on a work folder with the kit's notebooks and the sample ready.

The package's notebooks are package data and are never written to: :func:`prepare_lab`
copies them into ``<folder>/notebooks/`` (once; an analyst's edits are kept on the next
start), each as its jupytext pair (``.ipynb`` + ``.py`` percent script, the kernel set to
``pmqa-analysis``), and copies the bundled sample workspace into
``<folder>/sample-workspace/``. The notebooks' empty parameters read the same sample from
the cache, prepared once here so the first run in Lab starts at once.

Jupytext's contents manager is a Jupyter server extension that the ``jupytext`` package
enables on install (``etc/jupyter/jupyter_server_config.d/jupytext.json``), so opening a
paired ``.py`` or ``.ipynb`` shows the same notebook and saving writes both. The Lab is told
to open ``.py`` files as notebooks (``overrides.json`` of a settings folder inside the work
folder, so nothing outside it changes).

Examples
--------
>>> argv = lab_command("/tmp/lab", port=8890, open_browser=False, token="t")
>>> argv[1:4]
['-m', 'jupyterlab', '--ServerApp.root_dir=/tmp/lab']
>>> "--ServerApp.open_browser=False" in argv
True
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "KERNEL_DISPLAY_NAME",
    "KERNEL_NAME",
    "LabFolder",
    "install_kernelspec",
    "lab_command",
    "prepare_lab",
    "run_lab",
]

#: the venv's named kernel (``jupyter kernelspec list``)
KERNEL_NAME = "pmqa-analysis"
KERNEL_DISPLAY_NAME = "Python 3 (pmqa-analysis)"
NOTEBOOKS = ("unit_assessment", "province_overview", "explore_survey")
SETTINGS_DIR = ".lab-settings"
#: Lab settings: a paired ``.py`` opens as a notebook (the jupytext Lab extension's viewer)
OVERRIDES = {
    "@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"python": "Jupytext Notebook"}}
}


@dataclass(frozen=True)
class LabFolder:
    """What :func:`prepare_lab` set up."""

    root: Path
    notebooks: Path
    workspace: Path
    settings: Path
    copied: tuple[str, ...]


def install_kernelspec(prefix: str | None = None) -> Path:
    """Install the ``pmqa-analysis`` kernelspec into ``prefix`` (default: this venv).

    Same as ``python -m ipykernel install --sys-prefix --name pmqa-analysis``; does nothing
    when the kernelspec already starts this interpreter. Returns the kernelspec folder.
    """
    from ipykernel.kernelspec import install

    base = Path(prefix or sys.prefix)
    folder = base / "share" / "jupyter" / "kernels" / KERNEL_NAME
    spec = folder / "kernel.json"
    try:
        argv = json.loads(spec.read_text(encoding="utf-8"))["argv"]
    except (OSError, ValueError, KeyError):
        argv = []
    if argv[:1] == [sys.executable]:
        return folder
    return Path(
        install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME, prefix=str(base))
    )


def _copy_notebook(source: Path, target_dir: Path) -> None:
    """Write the jupytext pair of ``source`` into ``target_dir`` with the named kernel."""
    import jupytext
    import nbformat

    nb = nbformat.read(source, as_version=4)
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": KERNEL_DISPLAY_NAME,
        "language": "python",
    }
    nb.metadata.setdefault("jupytext", {})["formats"] = "ipynb,py:percent"
    nbformat.write(nb, target_dir / source.name)
    # the text file last: jupytext refuses a pair whose .ipynb is newer than its .py
    jupytext.write(nb, target_dir / f"{source.stem}.py", fmt="py:percent")


def prepare_lab(folder: str | Path, *, warm: bool = True, seed: int = 2567) -> LabFolder:
    """Set up a Lab work folder: notebooks (copied once), the sample workspace, settings.

    Parameters
    ----------
    folder : path
        The work folder (created when missing). Files already there are kept.
    warm : bool
        Prepare the bundled sample's run folder in the cache now (the notebooks' default
        input), so the first run in Lab does not wait for it.
    seed : int
        The sample workspace's seed.
    """
    from pmqa_analysis.run.batch import NOTEBOOKS_DIR
    from pmqa_analysis.workspace.sample import sample_workspace

    root = Path(folder).absolute()
    notebooks = root / "notebooks"
    notebooks.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in NOTEBOOKS:
        if not (notebooks / f"{name}.ipynb").exists() and not (notebooks / f"{name}.py").exists():
            _copy_notebook(NOTEBOOKS_DIR / f"{name}.ipynb", notebooks)
            copied.append(name)
    workspace = root / "sample-workspace"
    if not workspace.exists():
        shutil.copytree(sample_workspace(seed), workspace)
    settings = root / SETTINGS_DIR
    settings.mkdir(exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(OVERRIDES, indent=2), encoding="utf-8")
    if warm:
        from pmqa_analysis.run.prepare import sample_run_dir

        sample_run_dir(seed)
    return LabFolder(root, notebooks, workspace, settings, tuple(copied))


def lab_command(
    folder: str | Path,
    *,
    port: int | None = None,
    open_browser: bool = True,
    token: str | None = None,
    ip: str = "127.0.0.1",
) -> list[str]:
    """The ``jupyter lab`` command line for a work folder (opens on ``notebooks/``)."""
    root = Path(folder)
    argv = [
        sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
        f"--ServerApp.ip={ip}", f"--ServerApp.open_browser={open_browser}",
        "--LabApp.default_url=/lab/tree/notebooks",
        f"--LabApp.app_settings_dir={root / SETTINGS_DIR}",
        f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}",
        # offline: no update check, no extension manager asking PyPI
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI and containers run as root
        argv.append("--ServerApp.allow_root=True")
    if port is not None:
        argv.append(f"--ServerApp.port={port}")
    if token is not None:
        argv.append(f"--IdentityProvider.token={token}")
    return argv


def run_lab(
    folder: str | Path,
    *,
    port: int | None = None,
    open_browser: bool = True,
    token: str | None = None,
    warm: bool = True,
) -> int:
    """Prepare ``folder``, install the kernel and run JupyterLab until it is stopped.

    The server's token is Jupyter's own (printed with the address; ``$JUPYTER_TOKEN``
    sets it).
    """
    lab = prepare_lab(folder, warm=warm)
    install_kernelspec()
    print(
        f"JupyterLab: {lab.notebooks} (ตัวอย่างข้อมูล / sample workspace: {lab.workspace})\n"
        "หยุดด้วย Ctrl-C / stop with Ctrl-C",
        flush=True,
    )
    argv = lab_command(lab.root, port=port, open_browser=open_browser, token=token)
    try:
        return subprocess.call(argv)
    except KeyboardInterrupt:  # Lab shuts itself down on the same Ctrl-C
        return 0
