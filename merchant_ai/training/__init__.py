"""Offline model building (never imported by the app): fit, export to ONNX, check parity, write cards.

Run `python -m merchant_ai.training build [--only NAME]`. Models are listed in `catalog.MODELS`.
"""
