"""The DOCX builder: the agreement in Word, for negotiating the text.

``build/docx/<lang>/<document-id>.docx`` from the same AST as the PDF, in the
look of the theme's reference document (``docx.template`` in theme.yaml):
its styles, page setup, header and footer.  See :mod:`.template` for how an
agency's own Word template plugs in.
"""
from __future__ import annotations

from .builder import DocxBuilder

__all__ = ["DocxBuilder"]
