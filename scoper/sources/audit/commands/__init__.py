"""Shell-command parsing, installer output, redaction and credential classes."""
