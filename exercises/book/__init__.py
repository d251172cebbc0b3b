"""Book layer: building blocks the pages call, and the Sphinx extension."""
