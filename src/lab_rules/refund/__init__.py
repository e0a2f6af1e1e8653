"""Refund: the 2016 staircase ledger (lov 994/2015), the 2007-2015 refund rates and losses, and
dagpenge co-financing.
"""
