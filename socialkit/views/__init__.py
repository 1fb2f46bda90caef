"""Panel Viewer classes, one per dashboard page."""
