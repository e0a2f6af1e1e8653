"""The facts stage: what every computation needs from a timeline under the law, computed once per
person (courses and their clocks, benefit and paid intervals, exemptions, failures).
"""
