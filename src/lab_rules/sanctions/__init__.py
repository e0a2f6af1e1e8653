"""Sanctions: per failure, the dated rule in ``rules/`` that covers it and what it costs (shapes
read from data), caps and procedure deadlines.
"""
