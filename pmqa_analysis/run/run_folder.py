"""The notebooks' ``run_dir`` parameter as a prepared run folder, without the prepare step.

A report kernel imports only this (and :mod:`pmqa_analysis.report.unit`): importing
:mod:`pmqa_analysis.run.prepare` would load SciPy, pandera and the statistics (2.7 s of a
new kernel's time) for a folder that is already prepared.  The prepare step is loaded
only for an empty ``run_dir``, the bundled sample.

Examples
--------
>>> resolve_run_dir("/no/such/run")
Traceback (most recent call last):
...
ValueError: ...
"""

from __future__ import annotations

from pathlib import Path

from pmqa_analysis.core.files import check_run_dir

__all__ = ["resolve_run_dir"]


def resolve_run_dir(run_dir: str | Path, language: str = "th") -> Path:
    """The notebooks' ``run_dir`` parameter as a prepared run folder (fail fast).

    An empty ``run_dir`` means the bundled sample, prepared once and cached
    (:func:`pmqa_analysis.run.prepare.sample_run_dir`); any other value must be a
    prepared run folder.

    Raises
    ------
    ValueError
        An unknown language or a folder that is not a prepared run.
    """
    if language not in ("th", "en") or run_dir:
        return check_run_dir(run_dir, language)
    from pmqa_analysis.run.prepare import sample_run_dir

    return check_run_dir(sample_run_dir(), language)
