"""Faces: the evaluation as JSON (evaluation/v2), tables, text, the HTML report, plots and the
command line. Compute no law.
"""
