"""Renderer layer: the widget, static HTML, print and page-script forms of questions."""
