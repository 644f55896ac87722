"""Helpers shared by the test suites of every app (not loaded by the product itself)."""
