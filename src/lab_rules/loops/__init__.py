"""Loops around the evaluator: batch over a caseload (pieces, workers), what-if comparisons of law
variants, the Dask path and caseload tallies. Add no law.
"""
