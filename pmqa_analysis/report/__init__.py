"""Report content: charts, unit and province report builders, export to HTML/XLSX/PDF.

Reads a prepared run folder only; never the workspace files.
"""
