"""CI configuration read as artifacts (GitHub Actions workflow files)."""
