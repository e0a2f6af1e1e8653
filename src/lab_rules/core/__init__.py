"""Leaves every layer may use: the error types, CPR masking and the legal vocabulary (LAB § 6
target groups, benefits, exemption reasons).
"""
