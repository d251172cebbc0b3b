"""The 四个突出 course package: article, question banks, grading, widgets and renderers."""

__version__ = "0.3.0"
