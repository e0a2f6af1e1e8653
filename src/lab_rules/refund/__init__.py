"""Refund: the era C staircase ledger (lov 994/2015: ``staircase``, ``week_count``), the
2007-2015 refund rates (``rates_before_2016``) and refund losses L1-L6 (``losses``), and
dagpenge co-financing 2010-2015 (``cofinancing``). Every figure comes from the rule files."""
