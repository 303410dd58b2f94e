"""Readers of the lockfiles family."""
