"""Core: errors, the problem log, Thai conventions (digits, BE calendar, encodings), wording tables.

Imports nothing else from the package; every other room may import it.
"""
