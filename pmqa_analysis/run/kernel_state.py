"""Inside a pooled report kernel: what one unit leaves behind is undone, or the kernel goes.

A warm kernel serves many units (:mod:`pmqa_analysis.run.kernels`); this module runs *in the
kernel* (``import pmqa_analysis.run.kernel_state``): :func:`prime` once, before its first
unit, records the fresh kernel's state; :func:`reset`, before each further unit, puts back
what can be put back exactly and raises :class:`Doubt` on anything else, which makes the
worker replace the kernel by a fresh one.

Put back (a fresh kernel's value, exactly):

- the user namespace, history session and execution counter (IPython's ``reset``);
- matplotlib: open figures closed, ``rcParams`` as the fresh kernel had them;
- the working directory, ``os.environ``, ``sys.path``, the warning filters (and every
  module's ``__warningregistry__``).

A reason for a fresh kernel (:class:`Doubt`):

- ``sys.modules``: a module that is not a library's (not under the Python installation,
  its ``site-packages`` or this package: a notebook's own module, a module object made in
  a cell), or a known module replaced or removed;
- a function or class of a known module replaced (a monkeypatch), or any module's
  attribute holding a function or class defined in the notebook (``__main__``);
- a pandas option not at its default (resetting it runs callbacks with side effects);
- a unit's failure (decided by the worker, :func:`~pmqa_analysis.run.kernels.release_kernel`).

The modules a unit imports from libraries stay loaded (that is the warm kernel's point):
after a reset finds them clean, their functions and classes join the known ones.

Examples
--------
>>> is_library_module(__import__("json"), library_roots(""))
True
>>> import types
>>> is_library_module(types.ModuleType("made_in_a_cell"), library_roots(""))
False
"""

from __future__ import annotations

import gc
import os
import re
import site
import sys
import sysconfig
import types
import warnings
from collections.abc import Sequence
from typing import Any

__all__ = ["Doubt", "is_library_module", "library_roots", "prime", "reset"]

_CALLABLE = (types.FunctionType, types.BuiltinFunctionType, type)
_SKIP = frozenset({"__main__", "__mp_main__", "builtins"})
_MISSING = object()
#: module objects libraries make at run time, with no file (Cython's shared ABI module)
_RUNTIME_MODULES = re.compile(r"^_cython_\d+(_\d+)*$")


class Doubt(RuntimeError):
    """The previous unit left something a reset cannot undo: use a fresh kernel."""


def library_roots(package_dir: str) -> tuple[str, ...]:
    """The folders whose modules are libraries' (Python's own, site-packages, this package)."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths |= {p for p in sysconfig.get_paths().values() if p}
    try:
        paths |= set(site.getsitepackages()) | {site.getusersitepackages()}
    except AttributeError:  # pragma: no cover - an old virtualenv's site module
        pass
    if package_dir:
        paths.add(package_dir)
    return tuple(sorted(os.path.join(os.path.realpath(p), "") for p in paths if p))


def _under(path: str, roots: Sequence[str]) -> bool:
    real = os.path.realpath(path)
    return any(real.startswith(root) for root in roots)


def is_library_module(
    module: Any, roots: Sequence[str], known: frozenset[str] = frozenset()
) -> bool:
    """Whether ``module`` comes from a library (see :func:`library_roots`) or Python itself.

    A module object made at run time counts as its package's when that package does
    (``six.moves``-style); ``known`` names modules already accepted.
    """
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None)
    if origin in ("built-in", "frozen"):
        return True
    file = getattr(module, "__file__", None)
    if isinstance(file, str):
        return _under(file, roots)
    path = getattr(module, "__path__", None)
    if path is not None and list(path):
        return all(isinstance(p, str) and _under(p, roots) for p in path)
    name = str(getattr(module, "__name__", ""))
    if _RUNTIME_MODULES.match(name):
        return True
    parent = name.rpartition(".")[0]
    return bool(parent) and (parent in known or parent.split(".")[0] in known)


def _callables(module: types.ModuleType) -> list[tuple[str, Any]]:
    try:
        items = list(vars(module).items())
    except TypeError:
        return []
    return [(k, v) for k, v in items if isinstance(v, _CALLABLE)]


def _from_notebook(module: types.ModuleType) -> str | None:
    """The first attribute of ``module`` that is a function or class of the notebook."""
    for name, value in _callables(module):
        if getattr(value, "__module__", None) in _SKIP - {"builtins"}:
            return name
    return None


def _pandas_options() -> list[str]:
    """pandas options not at their default (a unit's ``set_option``): reasons for doubt.

    Not reset: resetting an option runs its callback, which may import pyplot, register
    converters or replace a pandas function (``mode.use_inf_as_na``).  The defaults are
    read from pandas' option registry (``pandas._config.config``); without it, any
    pandas in the kernel is a doubt.
    """
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return []
    registry = getattr(sys.modules.get("pandas._config.config"), "_registered_options", None)
    if not isinstance(registry, dict):  # pragma: no cover - another pandas
        return ["pandas' options cannot be checked"]
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated options warn when read
        for key, option in registry.items():
            try:
                changed = bool(pandas.get_option(key) != getattr(option, "defval", None))
            except Exception:  # an option whose value does not compare: take it as changed
                changed = True
            if changed:
                out.append(f"pandas option {key} was changed")
    return out


class _State:
    """What :func:`prime` recorded (kept on the IPython shell between units)."""

    def __init__(self, package_dir: str) -> None:
        self.roots = library_roots(package_dir)
        self.cwd = os.getcwd()
        self.environ = dict(os.environ)
        self.path = list(sys.path)
        self.filters = list(warnings.filters)
        self.rc: dict[str, Any] | None = None
        self.modules: dict[str, tuple[types.ModuleType, list[tuple[str, Any]]]] = {}
        self.learn()

    def learn(self) -> None:
        """Know the modules loaded now (their functions and classes as they are now)."""
        for name, module in list(sys.modules.items()):
            if name not in self.modules and name not in _SKIP and module is not None:
                self.modules[name] = (module, _callables(module))

    def doubts(self) -> list[str]:
        """Why the kernel cannot be reused as it is (empty: it can)."""
        found: list[str] = []
        known = frozenset(self.modules)
        for name, (module, attrs) in self.modules.items():
            if sys.modules.get(name) is not module:
                found.append(f"sys.modules[{name!r}] was replaced or removed")
                continue
            space = vars(module)
            changed = [a for a, v in attrs if space.get(a, _MISSING) is not v]
            if changed:
                found.append(f"{name}.{changed[0]} was replaced (monkeypatched)")
        found += _pandas_options()
        for name, module in list(sys.modules.items()):
            if name in self.modules or name in _SKIP or module is None:
                continue
            if not is_library_module(module, self.roots, known):
                found.append(f"module {name!r} is not a library's (made or found by the unit)")
            elif (attr := _from_notebook(module)) is not None:
                found.append(f"{name}.{attr} holds a function or class of the notebook")
        return found

    def restore(self) -> None:
        """Put back what can be put back exactly."""
        if os.getcwd() != self.cwd:
            os.chdir(self.cwd)
        if dict(os.environ) != self.environ:
            for key in set(os.environ) - set(self.environ):
                del os.environ[key]
            os.environ.update(self.environ)
        sys.path[:] = self.path
        warnings.filters[:] = self.filters  # type: ignore[index]
        for module in list(sys.modules.values()):
            registry = getattr(module, "__warningregistry__", None)
            if isinstance(registry, dict):
                registry.clear()
        with warnings.catch_warnings():  # marks the filters changed: stale registries go
            pass
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        if self.rc is not None and "matplotlib" in sys.modules:
            dict.update(sys.modules["matplotlib"].rcParams, self.rc)


def prime(shell: Any, package_dir: str = "") -> None:
    """Record the fresh kernel's state on ``shell`` (before its first unit)."""
    import matplotlib

    state = _State(package_dir)
    state.rc = dict.copy(matplotlib.rcParams)  # type: ignore[arg-type]  # raw: no backend lookup
    state.learn()
    shell._pmqa_state = state


def reset(shell: Any) -> None:
    """Before a further unit: undo the previous one's traces, or raise :class:`Doubt`.

    Then collect what the namespace held and freeze the survivors (modules, caches), so
    that later full collections (IPython's reset runs one) skip them.
    """
    state: _State | None = getattr(shell, "_pmqa_state", None)
    if state is None:
        raise Doubt("the kernel was not primed")
    found = state.doubts()
    if found:
        raise Doubt("; ".join(found[:5]))
    state.restore()
    shell.reset(new_session=True)  # namespace, history session, execution_count = 1
    state.learn()
    gc.collect()
    gc.freeze()
