"""Helpers for the book's notebooks and result files: parameters and quick mode
(notebook), provenance of results (provenance), the repository's address (project)."""
