"""chips package."""
