"""Claims, sources, citations, reviews and the editorial workflow."""
