"""Pipeline stages: each takes a Document (and its rules) and returns a Document with more in it."""
