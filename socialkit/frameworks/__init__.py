"""Frameworks are data: YAML files validated by pydantic models on load.

The YAML files in this folder (digital-maturity questionnaire, vulnerability-index spec,
passport groups, M&E indicator framework, service-quality rubric) are read through
:func:`read_yaml` and validated with :func:`validate_model`, so that every framework — shipped
or a user's own — fails the same way: a :class:`~socialkit.errors.FrameworkError` naming the
file and the key, e.g. ``dimensions[2].items[0].scale``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .. import config
from ..errors import FrameworkError

__all__ = ["fill_languages", "key_of", "read_yaml", "untranslated_frameworks", "validate_model"]

M = TypeVar("M", bound=BaseModel)


def key_of(loc: tuple | list) -> str:
    """A pydantic error location as a key path: ``("dimensions", 2, "items")`` →
    ``dimensions[2].items``.

    >>> key_of(("indicators", 0, "aggregation", "space"))
    'indicators[0].aggregation.space'
    >>> key_of(("cost_bands", "low", "max", "uah", "[key]"))
    'cost_bands.low.max.uah'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith(("function-", "constrained-")) or part == "[key]":
            continue   # pydantic's validator names, and its marker of a bad mapping key
        else:
            out += ("." if out else "") + str(part)
    return out


def read_yaml(path: str | Path | None, default: str, *,
              loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> tuple[dict[str, Any], str]:
    """Read a framework YAML file; ``path=None`` reads the shipped ``<default>.yaml``.

    Returns the mapping and the source name used in error messages.
    """
    p = Path(path) if path is not None else config.framework_path(default)
    source = str(p)
    if not p.is_file():
        raise FrameworkError(source, "file not found; expected a framework YAML file")
    try:
        st = p.stat()
        key = (str(p.resolve()), st.st_size, st.st_mtime_ns, loader)
    except OSError as exc:
        raise FrameworkError(source, f"cannot read the file ({exc})") from None
    cached = _PARSED.get(key)
    if cached is None:
        try:
            data = yaml.load(p.read_text(encoding="utf-8"), Loader=loader)
        except yaml.YAMLError as exc:
            raise FrameworkError(source, f"not valid YAML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise FrameworkError(source, f"cannot read the file ({exc})") from None
        if not isinstance(data, dict):
            raise FrameworkError(source, "expected a mapping of keys at the top level")
        fill_languages(data, p.stem)
        if len(_PARSED) >= 32:
            _PARSED.clear()
        _PARSED[key] = cached = data
    # a private copy: callers may change what they get
    return copy.deepcopy(cached), source


#: Parsed framework files by (path, size, mtime, loader): a report batch reads the same
#: framework for every report; a changed file has a new key and is parsed again.
_PARSED: dict[tuple, dict[str, Any]] = {}


#: Framework (file stem) -> languages in which some text fell back to English, for this process.
_FALLBACK: dict[str, set[str]] = {}


def fill_languages(data: dict[str, Any], stem: str) -> dict[str, dict[str, int]]:
    """Give every text node of a framework (``{en: ..., uk: ...}``) every supported language.

    A language the node lacks comes from the framework's translation catalog
    ``frameworks/locale/<lang>/LC_MESSAGES/<stem>.po`` (msgid = the English text); Serbian in
    Latin script from the Serbian (Cyrillic) text by transliteration; a text still missing is the
    English one, and the language is recorded for :func:`untranslated_frameworks`. Changes
    ``data`` in place; returns ``{lang: {"translated": n, "english": m}}``.
    """
    from ..i18n.catalogs import CATALOG_LANG, SCRIPTS, read_messages, text_nodes

    nodes = list(text_nodes(data))
    stats: dict[str, dict[str, int]] = {}
    if not nodes:
        return stats
    for lang in config.SUPPORTED_LANGS:
        if lang == "en":
            continue
        po = read_messages(lang, config.framework_locale_dir(), (stem,))[0]
        script = SCRIPTS.get(lang)
        base = CATALOG_LANG.get(lang, lang)
        s = stats.setdefault(lang, {"translated": 0, "english": 0})
        for node in nodes:
            if node.get(lang):
                continue
            inline = next((node[k] for k in (base, f"{base}-Cyrl") if node.get(k)), None)
            if inline and script is not None:
                inline = script(inline)
            elif inline and base != lang and lang != f"{base}-Cyrl":
                inline = None
            value = inline or po.get(node["en"])
            if value:
                node[lang] = value
                s["translated"] += 1
            else:
                node[lang] = node["en"]
                s["english"] += 1
        if s["english"]:
            _FALLBACK.setdefault(stem, set()).add(lang)
    return stats


def untranslated_frameworks(lang: str) -> list[str]:
    """Frameworks read in this process whose texts are partly English in ``lang`` (sorted file
    stems, e.g. ``["maturity"]``): a report names them once in its notes."""
    lang = config.resolve_lang(lang)
    return sorted(stem for stem, langs in _FALLBACK.items() if lang in langs)


def validate_model(model: type[M], data: dict[str, Any], source: str) -> M:
    """Validate ``data`` with ``model``; the first error becomes a FrameworkError naming its key."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check spelling; text values containing ', ' must be quoted)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise FrameworkError(source, msg + more, key=key_of(err["loc"]) or None) from None
