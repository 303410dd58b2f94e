"""The curated advisory catalog: one OSV record per incident (``*.json``).

This directory is installed as the package ``scoper.advisories`` (pyproject
``package-dir``); :mod:`scoper.feeds.bundled` reads it through importlib.resources.
The module exists so that editable installs can import the mapped directory.
"""
