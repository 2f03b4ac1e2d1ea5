"""The workspace: settings, reading files, schemas, templates, the loader, the sample generator.

Turns an office's folder of files into a validated :class:`~pmqa_analysis.workspace.loader.Survey`.
Imports :mod:`~pmqa_analysis.stats` and :mod:`~pmqa_analysis.core` only.
"""
