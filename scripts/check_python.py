"""Refuse a Python that socialkit does not support, with what to do instead (run by `make setup`).

Kept free of anything newer than Python 3.6 so that an old interpreter reaches the message.
"""

import sys

MINIMUM = (3, 11)
TESTED = ("3.11", "3.12", "3.13")

found = ".".join(str(p) for p in sys.version_info[:3])
if sys.version_info[:2] < MINIMUM:
    sys.exit(
        "socialkit needs Python 3.11 or newer (tested: {}); {} is Python {}.\n"
        "On Debian 12 / Ubuntu 24.04: apt-get install python3 python3-venv, then run make again;\n"
        "elsewhere: make PYTHON=/path/to/python3.11 ...".format(", ".join(TESTED), sys.executable, found)
    )
if "{}.{}".format(*sys.version_info[:2]) not in TESTED:
    print("warning: socialkit is tested with Python {}; {} is untested.".format(
        ", ".join(TESTED), found), file=sys.stderr)
try:
    import ensurepip  # noqa: F401
    import venv  # noqa: F401
except ImportError:
    sys.exit(f"Python {found} has no venv/ensurepip module. On Debian/Ubuntu: apt-get install "
             "python3-venv")
