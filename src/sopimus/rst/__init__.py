"""Reading reStructuredText sources into AST blocks."""
