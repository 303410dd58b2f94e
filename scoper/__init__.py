"""scoper: supply-chain exposure scoping.

Joins when a bad package version was live, which environments and sessions
installed or ran it, and which credentials those sessions held.
"""

__version__ = "0.1.0.dev0"
