"""Measurement-based care: validated questionnaires as data, one scoring engine, outcomes.

This package depends only on pydantic and PyYAML (matplotlib inside `charts`, lazily),
so the web app and the CLI can both call it without importing each other.
"""
