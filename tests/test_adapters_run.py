"""The runner's reliance on other libraries: fails loudly when one of them changes.

:mod:`pmqa_analysis.run._jupyter_client_adapter` subclasses jupyter_client's client and
kernel manager and relies on nbclient calling them as it does today; the kernel reset
relies on ``warnings.catch_warnings`` marking the filters changed.  When a test here fails
after an upgrade, check the adapter against the new version, then widen ``TESTED``.
"""

from __future__ import annotations

import inspect
import time
import warnings
from pathlib import Path
from typing import Any

import jupyter_client
import nbclient
import nbformat
import nbformat.v4 as v4
import papermill
import pytest
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session
from nbclient import NotebookClient
from papermill.engines import NBClientEngine, papermill_engines

from pmqa_analysis.run import _jupyter_client_adapter as adapter
from pmqa_analysis.run.kernels import _Kernel, execute_notebook


def test_the_installed_versions_are_the_tested_ones() -> None:
    found = adapter.installed()
    assert adapter.supported(), (
        f"installed {found}, the adapter was tested with {adapter.TESTED}: check "
        "pmqa_analysis/run/_jupyter_client_adapter.py against these versions, then widen TESTED"
    )


def test_jupyter_client_keeps_what_the_adapter_overrides_and_calls() -> None:
    wait = inspect.signature(AsyncKernelClient.wait_for_ready)
    assert list(wait.parameters) == ["self", "timeout"]
    assert wait.parameters["timeout"].default is None
    assert inspect.iscoroutinefunction(AsyncKernelClient.wait_for_ready)
    client = inspect.signature(KernelManager.client)
    assert [p.kind for p in client.parameters.values()] == [
        inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.VAR_KEYWORD,
    ]  # fmt: skip
    assert "client_class" in KernelManager.class_trait_names()
    assert isinstance(jupyter_client.protocol_version_info[0], int)  # _adapt_protocol
    assert "adapt_version" in Session.class_trait_names()
    for name in ("kernel_info", "is_alive", "stop_channels", "shell_channel", "iopub_channel"):
        assert hasattr(AsyncKernelClient, name), name


def test_nbclient_connects_through_the_managers_client_and_its_wait_for_ready() -> None:
    """nbclient's start of its client: ``km.client()``, then ``kc.wait_for_ready``."""
    start = inspect.getsource(NotebookClient.async_start_new_kernel_client)
    assert "self.km.client()" in start
    assert "self.kc.wait_for_ready(timeout=self.startup_timeout)" in start
    setup = inspect.getsource(NotebookClient.async_setup_kernel)
    assert 'kwargs.pop("cleanup_kc", self.owns_km)' in setup  # a caller's km stays up
    assert "km" in inspect.signature(NotebookClient.__init__).parameters
    assert nbclient.__version__ == ".".join(map(str, nbclient.version_info[:3]))


def test_papermill_passes_the_kernel_manager_to_its_nbclient_engine() -> None:
    assert papermill_engines.get_engine("nbclient") is NBClientEngine
    run = inspect.signature(NBClientEngine.execute_managed_notebook)
    assert list(run.parameters)[:2] == ["nb_man", "kernel_name"]
    assert {"start_timeout", "execution_timeout", "log_output"} <= set(run.parameters)
    assert run.parameters["kwargs"].kind is inspect.Parameter.VAR_KEYWORD  # km= goes through
    execute = inspect.signature(papermill.execute_notebook)
    assert "engine_kwargs" in execute.parameters
    assert {"engine_name", "kernel_name", "start_timeout", "progress_bar", "cwd"} <= set(
        execute.parameters
    )


def _notebook(folder: Path) -> Path:
    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell("value = 0", metadata={"tags": ["parameters"]}),
            v4.new_code_cell("print(value * 2)"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    path = folder / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_notebook_runs_on_a_kept_kernel_through_the_quick_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []
    quick = adapter.await_ready

    async def spy(kc: Any, timeout: float | None) -> None:
        calls.append((type(kc), timeout))
        await quick(kc, timeout)

    monkeypatch.setattr(adapter, "await_ready", spy)
    notebook = _notebook(tmp_path)
    kernel = _Kernel(tmp_path / "logs" / "kernel.log")
    try:
        made: list[Any] = []
        original = kernel.km.client

        def client(**kwargs: Any) -> Any:
            made.append(original(**kwargs))
            return made[-1]

        monkeypatch.setattr(kernel.km, "client", client)
        for value in (2, 3):
            execute_notebook(
                kernel, notebook, tmp_path / f"out{value}.ipynb", {"value": value},
                timeout_per_cell=60,
            )  # fmt: skip
            out = nbformat_read(tmp_path / f"out{value}.ipynb")
            assert out.cells[-1].outputs[0]["text"] == f"{value * 2}\n"
        assert calls == [(adapter.ReadyClient, 60), (adapter.ReadyClient, 60)]
        assert len(made) == 2 and kernel.km.open_clients == []
        assert not any(kc.shell_channel.is_alive() or kc.iopub_channel.is_alive() for kc in made)
        assert kernel.km.is_alive()  # the kernel outlives its notebooks
    finally:
        kernel.shutdown()


def nbformat_read(path: Path) -> Any:
    return nbformat.read(path, as_version=4)


def test_outside_the_tested_versions_the_client_waits_as_jupyter_client_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(adapter, "supported", lambda: False)
    kernel = _Kernel(tmp_path / "logs" / "kernel.log")
    try:
        started = time.perf_counter()
        execute_notebook(
            kernel, _notebook(tmp_path), tmp_path / "out.ipynb", {"value": 1}, timeout_per_cell=60
        )
        assert time.perf_counter() - started >= 0.2  # jupyter_client's wait for IOPub silence
        assert nbformat_read(tmp_path / "out.ipynb").cells[-1].outputs[0]["text"] == "2\n"
    finally:
        kernel.shutdown()


def test_catch_warnings_marks_the_filters_changed_for_the_kernel_reset() -> None:
    """The reset's public replacement of ``warnings._filters_mutated()``: a registry it did
    not clear (a module-less namespace) no longer hides a warning already shown."""
    namespace: dict[str, Any] = {"__name__": "pmqa_probe"}
    exec(
        compile("import warnings\ndef f():\n    warnings.warn('probe', UserWarning)\n",
                "<pmqa-probe>", "exec"),
        namespace,
    )  # fmt: skip
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("default")
        namespace["f"]()
        namespace["f"]()
        assert len(seen) == 1  # shown once: the registry remembers it
        filters = warnings.filters
        with warnings.catch_warnings():
            pass
        assert warnings.filters is filters  # the filters are left as they were
        namespace["f"]()
        assert len(seen) == 2


def test_pandas_still_has_the_option_registry_the_kernel_reset_reads() -> None:
    """run/kernel_state reads pandas' option registry (a private name) to see changed options.

    Without it every pooled kernel is thrown away after each unit (safe, but slow): this test
    fails loudly when a pandas release moves it, so the pooled kernels do not silently stop.
    """
    import pandas as pd
    import pandas._config.config as registry_module

    registry = registry_module._registered_options
    assert isinstance(registry, dict) and "display.max_rows" in registry
    option = registry["display.max_rows"]
    assert option.defval == pd.get_option("display.max_rows")
