"""Shared widgets: table model, chart canvas, accuracy panel, page helpers."""
