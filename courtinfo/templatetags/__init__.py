"""Template tags for the public pages."""
