"""Check that a constraints file installs on every Python that socialkit supports.

    python scripts/check_constraints.py constraints.txt

For each supported interpreter version, asks pip (``--dry-run --python-version``, wheels only)
to resolve every pin without installing anything, so a pin that needs a newer Python than
Debian 12's 3.11.2 (``Requires-Python >=3.11.5``, say) is found before it reaches a user. Needs
the package index (PyPI or the configured mirror). Exit code 1 with pip's reason on a failure.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

# The oldest Python of each supported system: Debian 12 (3.11.2), Ubuntu 24.04 (3.12),
# Debian 13 (3.13).
PYTHONS = ("3.11.2", "3.12", "3.13")


def main(path: str) -> int:
    failed = []
    for version in PYTHONS:
        with tempfile.TemporaryDirectory() as target:
            cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
                   "--quiet", "--python-version", version, "--only-binary=:all:",
                   "--target", target, "-r", path]
            proc = subprocess.run(cmd, capture_output=True, text=True)
        lines = [ln for ln in (proc.stdout + proc.stderr).splitlines()
                 if not ln.startswith("WARNING: Location")]
        if proc.returncode:
            failed.append(version)
            print(f"{path}: does not install on Python {version}:", file=sys.stderr)
            print("\n".join("  " + ln[:400] for ln in lines[-8:]), file=sys.stderr)
        else:
            print(f"{path}: installs on Python {version}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
