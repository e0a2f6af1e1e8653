"""Entitlements and the 225-hour rule (LAS § 13 f): holiday with kontanthjælp, sickness on
dagpenge, and the reduction for too few hours of work.
"""
