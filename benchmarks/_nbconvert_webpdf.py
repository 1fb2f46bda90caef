"""``jupyter nbconvert`` with webpdf pointed at Debian's Chromium (used by bench_reports.py).

nbconvert's WebPDF exporter launches Playwright's own Chromium build and has no option for
another executable; this shim passes ``executable_path`` (``$CHROMIUM``, default
``/usr/bin/chromium``) to Playwright's ``launch`` and otherwise runs ``jupyter nbconvert``
unchanged, so the naive loop measures the real tool.
"""

import os
import sys

from playwright.async_api import BrowserType

_launch = BrowserType.launch


async def _launch_system_chromium(self, *args, **kwargs):
    kwargs.setdefault("executable_path", os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    return await _launch(self, *args, **kwargs)


BrowserType.launch = _launch_system_chromium

if __name__ == "__main__":
    from nbconvert.nbconvertapp import main

    sys.exit(main())
