"""Running the shipped models: provider choice, session cache, model registry, backtests.

Feature builders shared with offline training live in `merchant_ai.ml.features`.
See merchant_ai/ml/README.md for how to add a model.
"""
