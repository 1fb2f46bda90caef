"""The examples in the docstrings of the packages below run and give what they say."""

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ["socialkit.index", "socialkit.contracting", "socialkit.frameworks"]
MODULES = ["socialkit.i18n.names"] + [
    name for pkg in PACKAGES
    for name in [pkg] + [f"{pkg}.{m.name}"
                         for m in pkgutil.iter_modules(importlib.import_module(pkg).__path__)]]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
