"""Reads question-and-answer documents and loads them as draft content."""
