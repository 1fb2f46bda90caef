"""Patches of third-party libraries, one module per library, each with a version gate, a
fallback to the library's own code path and a test that both give the same output
(``tests/test_compat.py``). Business modules import the patch from here; nothing else reaches
into a library's private code.

- :mod:`socialkit._compat.weasyprint` — SVG labels drawn a line at a time (WeasyPrint 70).
"""
