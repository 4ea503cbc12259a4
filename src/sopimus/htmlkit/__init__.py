"""Toolkit for the HTML pages: the theme's jinja2 environment, stylesheets,
fonts and assets, language alternates and page links, shared by the
agreement pages, the publication index and the report pages."""
