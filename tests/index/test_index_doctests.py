"""The examples in the docstrings of socialkit.index run and give what they say."""

import doctest
import importlib
import pkgutil

import pytest

import socialkit.index

MODULES = ["socialkit.index"] + [f"socialkit.index.{m.name}"
                                  for m in pkgutil.iter_modules(socialkit.index.__path__)]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
