"""location package."""
