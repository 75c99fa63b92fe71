"""Bundled data shipped with tender-check."""
