"""Feature builders, one module per capability, imported by BOTH training and the services.

Each module defines `FEATURE_NAMES: list[str]` and builder functions returning a DataFrame
with exactly those columns in that order, so a model sees at run time what it was trained on.
"""
