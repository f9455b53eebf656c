"""countries package."""
