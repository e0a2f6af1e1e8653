"""Inputs: the citizen's timeline (typed events in canonical order), its JSON reader and schema,
event logs (JSON Lines, CSV, Parquet) and synthetic caseloads. Imports only core and calendar.
"""
