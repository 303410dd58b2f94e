"""Reports: one module per output format behind one ordered registry (:mod:`.registry`)."""
