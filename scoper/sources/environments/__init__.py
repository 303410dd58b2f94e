"""Readers of the environments family."""
