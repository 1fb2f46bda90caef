"""Fail when a committed notebook carries outputs or has other than one `parameters` cell."""

from __future__ import annotations

import json
import sys


def main(paths: list[str]) -> int:
    bad = 0
    for path in paths:
        nb = json.load(open(path, encoding="utf-8"))
        cells = nb.get("cells", [])
        if any(c.get("outputs") or c.get("execution_count") for c in cells):
            print(f"{path}: has outputs; clear them before committing")
            bad += 1
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        if len(tagged) != 1:
            print(f"{path}: {len(tagged)} cells tagged 'parameters'; expected exactly one")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
