"""The analyst's front door: ``pmqa lab`` (JupyterLab, ready) and ``pmqa app`` (no code).

- :mod:`~pmqa_analysis.app.lab` — a Lab work folder (copies of the package's notebooks, the
  sample workspace), the named kernel ``pmqa-analysis`` and the ``jupyter lab`` command;
- :mod:`~pmqa_analysis.app.steps` — what the app's buttons do, as plain functions calling
  the same rooms as the CLI (draft from an export, corrections, validate, run, outputs);
- :mod:`~pmqa_analysis.app.ui` — the ipywidgets page built on those steps (Thai / English);
- :mod:`~pmqa_analysis.app.server` — Voilà serving the page (``app.ipynb``, package data)
  plus the run folders' files, on localhost with a token.

This room sits on top, beside ``cli``: it may import ``run``, ``report``, ``workspace`` and
below; ``cli`` imports it lazily for its ``lab`` and ``app`` sub-commands.
"""
