"""``python -m socialkit`` runs the CLI."""

from .cli import main

main()
