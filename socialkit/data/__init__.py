"""Catalog access, schemas, validation and the demo-data generator."""
