"""Advisory records found among evidence (noted, loaded with ``--advisories``)."""
