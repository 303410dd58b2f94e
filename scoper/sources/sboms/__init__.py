"""Readers of the sboms family."""
