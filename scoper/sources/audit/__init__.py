"""Readers of the audit family."""
