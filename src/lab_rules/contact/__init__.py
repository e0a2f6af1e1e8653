"""The contact course (kontaktforløb): rule shapes to obligations, fulfilment and status, with
their explanations.
"""
