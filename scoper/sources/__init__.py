"""Input formats: one module per format behind :class:`scoper.sources.base.Source`."""
