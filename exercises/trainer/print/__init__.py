"""Print: handouts, batch papers, certificates and the LaTeX they share."""
