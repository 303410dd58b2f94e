"""Manifests: the ranges a project declares (pyproject.toml, Pipfile, setup.cfg, package.json).

They are the input of a resolver, not its output: every entry keeps its specifier in
``spec`` and never gets a version, even when the range admits exactly one.
"""
