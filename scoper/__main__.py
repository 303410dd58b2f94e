"""``python -m scoper``."""

from scoper.cli import main

main()
