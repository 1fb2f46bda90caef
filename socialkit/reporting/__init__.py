"""Batch runner: papermill per municipality, HTML, PDF, manifest."""
