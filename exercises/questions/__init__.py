"""Question layer: question types, banks, grading, the results format, progress and sampling."""
