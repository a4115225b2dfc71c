"""Seeded demo-store generator and the store simulator behind it."""
