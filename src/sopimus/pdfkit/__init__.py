"""Toolkit for tagged, archival PDF with reportlab and pikepdf: styles from a
theme, tagged flowables, the structure tree, page templates, PDF/A and
signature fields.  It knows the AST's inline nodes and the presentation
model, but no document's layout: the agreement and the report renderers
(``sopimus.builders.pdf``, ``sopimus.builders.report``) are built on it."""
from . import platypus as _platypus  # noqa: F401  (first: reportlab without a pattern it never uses)
