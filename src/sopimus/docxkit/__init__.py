"""Toolkit for Word documents written as XML: elements, styles found by their
English names, numbering, tables, fields, headers, core properties, the
template and the reproducible package.  The agreement and the report
renderers (``sopimus.builders.docx``, ``sopimus.builders.report``) are built
on it."""
