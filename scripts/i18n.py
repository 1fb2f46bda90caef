"""Message catalogs: extract, update, compile, import-yaml (see docs/i18n.md).

    python scripts/i18n.py extract       # <domain>.pot templates from the English catalogs
    python scripts/i18n.py update        # merge the templates into every language's .po
    python scripts/i18n.py compile       # check and compile every .po (what socialkit reads)
    python scripts/i18n.py import-yaml   # YAML catalogs -> .po, then delete the YAML
    python scripts/i18n.py status        # translated / fuzzy / untranslated per language

The same commands are ``socialkit i18n ...`` once socialkit is installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from socialkit.cli import main

if __name__ == "__main__":
    main(["i18n", *sys.argv[1:]])
