"""Importing shop exports: format detection, declarative column maps per platform, reading
and cleaning, and the atomic + idempotent pipeline with its plain report.

Entry points for the rest of the app are in `merchant_ai.services.imports`.
"""
