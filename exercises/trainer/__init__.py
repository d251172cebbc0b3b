"""Trainer layer: cohort reports, batch papers and PDF handouts."""
