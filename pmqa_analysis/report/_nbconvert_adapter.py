"""The reports' HTML exporter: nbconvert's ``HTMLExporter`` without its BeautifulSoup pass.

The one place that relies on how nbconvert's ``HTMLExporter.from_notebook_node`` works
inside (public names only, no private attribute): :class:`ReportExporter` does the same
set-up as that method (the ``highlight_code`` and ``filter_data_type`` filters), then
renders the page with ``TemplateExporter.from_notebook_node`` and stops there.  The pass
it leaves out re-parses the finished page with BeautifulSoup's pure-Python parser only to
give an ``<img>`` without ``alt`` a placeholder text and code cells and outputs a
``tabindex``; a report has no code cells and no ``<img>`` (its charts are inline SVG, each
with its own ``aria-label``).  On a report page (about 3,000 SVG elements) that pass is
most of the export, and it lower-cases SVG's mixed-case names (``viewBox``,
``clipPath``), which the browser then has to repair.  Measured on the demo run's 12
executed unit notebooks: 0.009 s a page with :class:`ReportExporter`, 0.136 s with
``HTMLExporter``; the page is ``HTMLExporter``'s once given that pass (tested).

Written against nbconvert 7.17.2 (7.16.6's ``HTMLExporter.from_notebook_node`` was compared
and is the same); :data:`TESTED` gives the versions where :func:`report_exporter_class`
gives :class:`ReportExporter`.  With another version installed it gives nbconvert's own
``HTMLExporter`` (the public path: the same report, its SVG names lower-cased, about
0.13 s slower a unit) and ``tests/test_adapters_report.py`` fails, asking for this module
to be checked against the new version.

Examples
--------
>>> from nbconvert import HTMLExporter
>>> issubclass(report_exporter_class(), HTMLExporter)
True
"""

from __future__ import annotations

import functools
import os
import re
from typing import Any

import nbconvert
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

__all__ = ["TESTED", "ReportExporter", "installed", "report_exporter_class", "supported"]

#: library -> (lowest tested version, first untested version)
TESTED: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "nbconvert": ((7, 16), (7, 18)),
}


def installed() -> dict[str, tuple[int, int]]:
    """The installed (major, minor) of each library in :data:`TESTED`.

    Examples
    --------
    >>> sorted(installed()) == sorted(TESTED)
    True
    """
    parts = re.findall(r"\d+", str(nbconvert.__version__))[:2]
    return {"nbconvert": (int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)}


@functools.cache
def supported() -> bool:
    """Whether the installed versions are the tested ones (then :class:`ReportExporter` is used)."""
    versions = installed()
    return all(low <= versions[name] < high for name, (low, high) in TESTED.items())


def report_exporter_class() -> type[HTMLExporter]:
    """:class:`ReportExporter` with a tested nbconvert, nbconvert's ``HTMLExporter`` otherwise."""
    return ReportExporter if supported() else HTMLExporter


class ReportExporter(HTMLExporter):  # type: ignore[misc]
    """The HTML exporter of the reports: the page straight from the template.

    ``from_notebook_node`` is ``HTMLExporter``'s without the final BeautifulSoup pass (see
    the module's notes).  The ``filter_data_type`` filter is given the notebook's own
    metadata, under the name nbconvert files it under (the notebook's ``path``/``name`` in
    ``resources["metadata"]``, ``"Notebook"`` without metadata), which is what
    ``HTMLExporter`` hands it.
    """

    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: Any = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        if resources is None or "metadata" not in resources:
            resources = {**(resources or {}), "metadata": {"name": "Notebook"}}
        meta = resources["metadata"]
        name = os.path.join(meta.get("path", ""), meta.get("name", ""))
        self.register_filter("highlight_code", highlight)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(
                notebook_metadata={name: nb.metadata}, parent=self, resources=resources
            ),
        )
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return str(page), resources
