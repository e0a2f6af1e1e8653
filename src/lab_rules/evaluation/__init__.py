"""The evaluator: one pure function from a timeline, the law and ``as_of`` to an immutable
Evaluation.
"""
