"""The translator's and developer's commands on the gettext catalogs (``scripts/i18n.py``).

* :func:`extract` — the templates (``<domain>.pot``) from the English catalogs
  (``locale/en/LC_MESSAGES/<domain>.po``, the source of every message) and from the English
  text nodes of the framework YAML files;
* :func:`update` — merge the templates into every language's ``.po`` (as ``pybabel update``:
  new messages untranslated, changed English text marked fuzzy, removed ones kept obsolete);
* :func:`compile_catalogs` — compile and check every ``.po`` (as ``pybabel compile``);
* :func:`import_yaml` — turn YAML catalogs (``socialkit/i18n/<lang>/<domain>.yaml``) and
  framework translations (``socialkit/frameworks/translations/<lang>/<stem>.yaml``) into
  ``.po`` files and delete the YAML.

The workflow is described in ``docs/i18n.md``.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import config
from .catalogs import PLURAL_FORMS, catalog_plural_categories, compiled, text_nodes

__all__ = [
    "ImportReport",
    "catalog_problems",
    "compile_catalogs",
    "extract",
    "framework_texts",
    "import_yaml",
    "po_problems",
    "update",
]

_PLURAL_CATS = frozenset({"zero", "one", "two", "few", "many", "other"})
_HEADER = ("# socialkit: {what} ({language}).\n"
           "# Edit with Poedit, Weblate or a text editor; the key of each message is its\n"
           "# msgctxt. See docs/i18n.md for the workflow.\n#")
_SOURCE = "en"
#: YAML folder names that name a catalog language other than themselves.
_FOLDER_LANG = {"sr-Cyrl": "sr", "sr_Cyrl": "sr"}
#: Scripts derived by transliteration: never stored.
_DERIVED = {"sr-Latn", "sr_Latn", "sr@latin"}


def _is_plural(node: object) -> bool:
    return (isinstance(node, dict) and bool(node) and "other" in node
            and set(map(str, node)) <= _PLURAL_CATS
            and not any(isinstance(v, dict) for v in node.values()))


def _flatten(prefix: str, node: object, out: dict[str, str | dict[str, str]]) -> None:
    if _is_plural(node):
        out[prefix] = {str(k): "" if v is None else str(v) for k, v in node.items()}
    elif isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, out)
    else:
        out[prefix] = "" if node is None else str(node)


def _yaml_comments(path: Path) -> dict[str, str]:
    """Comment lines right above a key in a YAML catalog, by full key (translator notes)."""
    out: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    pending: list[str] = []
    seen_key = False
    prefix = path.stem
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
            continue
        m = re.match(r"^(\s*)([^\s:#][^:]*?):(\s|$)", line)
        if not m:
            pending = [] if not stripped else pending
            continue
        indent = len(m.group(1))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, m.group(2).strip().strip("\"'")))
        if pending and seen_key:  # the block above the first key describes the file
            out[".".join([prefix, *(k for _, k in stack)])] = " ".join(pending)
        pending, seen_key = [], True
    return out


def _read_yaml_catalog(path: Path) -> dict[str, str | dict[str, str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of keys at the top level")
    out: dict[str, str | dict[str, str]] = {}
    _flatten(path.stem, data, out)
    return out


# --------------------------------------------------------------------------- reading .po


def _read_po(path: Path, locale: str | None = None):
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        return read_po(fh, locale=locale, domain=path.stem)


def _write_po(path: Path, catalog) -> bool:
    """Write ``catalog`` to ``path`` if its text changed; True when written."""
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=100, include_previous=True)
    data = buf.getvalue()
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".po.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def _language_name(code: str) -> str:
    from babel import Locale

    try:
        return Locale.parse(code.replace("-", "_").replace("@latin", "")).get_display_name("en")
    except Exception:
        return code


def _new_catalog(code: str | None, domain: str, what: str, old=None):
    from babel.messages.catalog import Catalog

    now = _dt.datetime(2026, 1, 1, tzinfo=_dt.UTC)
    cat = Catalog(locale=code.replace("-", "_") if code else None, domain=domain,
                  header_comment=_HEADER.format(what=what, language=_language_name(code)
                                                if code else "template"),
                  project="socialkit", version="0.1",
                  creation_date=old.creation_date if old is not None else now,
                  revision_date=old.revision_date if old is not None else now,
                  last_translator=old.last_translator if old is not None else None,
                  language_team=old.language_team if old is not None else None,
                  charset="utf-8", fuzzy=False)
    if code in PLURAL_FORMS:   # with the form for fractions (Babel's own rule lacks it)
        cat._num_plurals, cat._plural_expr = PLURAL_FORMS[code]
    return cat


def _flags(text: str) -> set[str]:
    return {"python-brace-format"} if _fields(text) else set()


def _fields(text: str) -> set[str]:
    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return set()


# --------------------------------------------------------------------------- messages


def _messages_of(catalog) -> dict[str, object]:
    """``{key: Message}`` of a catalog (context = key; without context, the msgid)."""
    out = {}
    for m in catalog:
        if not m.id:
            continue
        key = m.context or (m.id[0] if isinstance(m.id, tuple) else m.id)
        out[key] = m
    return out


def _english(root: Path) -> dict[str, dict[str, str | dict[str, str]]]:
    """English messages per domain from ``locale/en`` (msgid / msgid_plural)."""
    out: dict[str, dict[str, str | dict[str, str]]] = {}
    for po in sorted((root / _SOURCE / "LC_MESSAGES").glob("*.po")):
        msgs: dict[str, str | dict[str, str]] = {}
        for key, m in _messages_of(_read_po(po, "en")).items():
            msgs[key] = {"one": m.id[0], "other": m.id[1]} if isinstance(m.id, tuple) else m.id
        out[po.stem] = msgs
    return out


def _add(cat, key: str, english: str | dict[str, str], value, code: str | None,
         comment: str | None = None, fuzzy: bool = False) -> None:
    cats = catalog_plural_categories(code) if code else ("one", "other")
    if isinstance(english, dict):
        one = english.get("one") or english["other"]
        msgid = (one, english["other"])
        if value is None:
            string: str | tuple[str, ...] = ("",) * len(cats)
        elif isinstance(value, dict):
            string = tuple(value.get(c) or (value.get("other", "") if c == cats[-1] else "")
                           for c in cats)
        else:
            string = (str(value),) * len(cats)
        flags = _flags(english["other"])
    else:
        msgid = english
        if isinstance(value, dict):
            value = value.get("other", "")
        string = "" if value is None else str(value)
        flags = _flags(english)
    if fuzzy:
        flags = flags | {"fuzzy"}
    cat.add(msgid, string, context=key, flags=flags,
            auto_comments=[comment] if comment else ())


# --------------------------------------------------------------------------- extract/update


def framework_texts(path: Path) -> list[str]:
    """Every English text of a framework YAML file's text nodes (``{en: ..., uk: ...}``), in
    file order, each once."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(dict.fromkeys(str(n["en"]) for n in text_nodes(data)))


def extract(root: Path | None = None, frameworks: Path | None = None) -> list[Path]:
    """Write ``<domain>.pot`` templates from the English catalogs and the frameworks' texts.

    Returns the templates written or checked (an unchanged template is not rewritten).
    """
    root = root or config.locale_dir()
    frameworks = frameworks or config.FRAMEWORKS_DIR
    out = []
    for domain, msgs in _english(root).items():
        old = _read_po(root / f"{domain}.pot") if (root / f"{domain}.pot").is_file() else None
        pot = _new_catalog(None, domain, f"messages of domain '{domain}'", old)
        en = _messages_of(_read_po(root / _SOURCE / "LC_MESSAGES" / f"{domain}.po", "en"))
        for key, english in msgs.items():
            comment = "\n".join(en[key].auto_comments) or None
            _add(pot, key, english, None, None, comment)
        _write_po(root / f"{domain}.pot", pot)
        out.append(root / f"{domain}.pot")
    floc = frameworks / "locale"
    for fw in sorted(frameworks.glob("*.yaml")):
        texts = framework_texts(fw)
        if not texts:
            continue
        target = floc / f"{fw.stem}.pot"
        old = _read_po(target) if target.is_file() else None
        pot = _new_catalog(None, fw.stem, f"texts of framework '{fw.name}'", old)
        for text in texts:
            pot.add(text, "", flags=_flags(text))
        _write_po(target, pot)
        out.append(target)
    return out


def _languages(root: Path) -> list[str]:
    return sorted(d.name for d in root.iterdir()
                  if d.is_dir() and (d / "LC_MESSAGES").is_dir() and d.name != _SOURCE)


def update(root: Path | None = None, frameworks: Path | None = None,
           langs: Iterable[str] | None = None) -> list[Path]:
    """Merge every template into every language's ``.po`` (``pybabel update``); returns the
    files changed. A language folder with no ``.po`` for a domain gets a new one."""
    root = root or config.locale_dir()
    frameworks = frameworks or config.FRAMEWORKS_DIR
    extract(root, frameworks)
    changed = []
    for folder in (root, frameworks / "locale"):
        if not folder.is_dir():
            continue
        codes = list(langs) if langs is not None else _languages(folder)
        for pot_path in sorted(folder.glob("*.pot")):
            pot = _read_po(pot_path)
            for code in codes:
                po = folder / code / "LC_MESSAGES" / f"{pot_path.stem}.po"
                if po.is_file():
                    cat = _read_po(po, code.replace("-", "_"))
                elif folder != root and _carries_language(frameworks / f"{pot_path.stem}.yaml",
                                                          code):
                    continue   # the framework file carries this language itself
                else:
                    what = (f"messages of domain '{pot_path.stem}'" if folder == root
                            else f"texts of framework '{pot_path.stem}.yaml'")
                    cat = _new_catalog(code, pot_path.stem, what)
                cat.update(pot, update_creation_date=False)
                if _write_po(po, cat):
                    changed.append(po)
    return changed


def _carries_language(framework: Path, code: str) -> bool:
    """Whether every text of a framework file is written in language ``code`` in the file
    itself (``{en: ..., ro: ...}``): then no ``.po`` is made for it."""
    if not framework.is_file():
        return False
    texts, inline = framework_texts(framework), _inline(framework, code)
    return bool(texts) and all(str(inline.get(text) or "").strip() for text in texts)


def po_problems(po: Path, code: str) -> list[str]:
    """Problems of one translated ``.po``: placeholders that differ from the English, a plural
    message without all its forms. Untranslated and fuzzy messages are not problems here."""
    problems = []
    n = len(catalog_plural_categories(code))
    for key, m in _messages_of(_read_po(po, code.replace("-", "_"))).items():
        if "fuzzy" in m.flags:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        if not any(strs):
            continue
        if isinstance(m.id, tuple) and (len(strs) != n or not all(strs)):
            problems.append(f"{po}: {key}: needs {n} plural forms, has "
                            f"{sum(bool(s) for s in strs)}")
        want = set().union(*(_fields(i) for i in ids))
        for s in strs:
            if s and _fields(s) != want and not _fields(s) <= want:
                problems.append(f"{po}: {key}: placeholders {sorted(_fields(s))} "
                                f"where the English has {sorted(want)}")
    return problems


def compile_catalogs(root: Path | None = None, frameworks: Path | None = None,
                     out: Path | None = None) -> dict[str, tuple[int, int, int]]:
    """Check and compile every ``.po`` (messages and frameworks).

    Each is compiled into the cache the package reads (:func:`socialkit.i18n.catalogs.compiled`)
    or, with ``out``, to ``<out>/<lang>/LC_MESSAGES/<domain>.mo``. Returns, per language, the
    numbers of translated, fuzzy and untranslated messages; raises ValueError listing every
    problem (placeholders, plural forms) when there is one.
    """
    from babel.messages.mofile import write_mo

    root = root or config.locale_dir()
    frameworks = frameworks or config.FRAMEWORKS_DIR
    stats: dict[str, list[int]] = {}
    problems: list[str] = []
    for folder in (root, frameworks / "locale"):
        for po in sorted(folder.glob("*/LC_MESSAGES/*.po")):
            code = po.parent.parent.name
            problems += po_problems(po, code)
            cat = _read_po(po, code.replace("-", "_"))
            s = stats.setdefault(code, [0, 0, 0])
            for m in cat:
                if not m.id:
                    continue
                strs = m.string if isinstance(m.string, tuple) else (m.string,)
                s[1 if m.fuzzy else 0 if all(strs) else 2] += 1
            if out is not None:
                target = out / folder.name / code / "LC_MESSAGES" / f"{po.stem}.mo"
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as fh:
                    write_mo(fh, cat, use_fuzzy=False)
            else:
                compiled(po)
    if problems:
        raise ValueError("\n".join(problems))
    from .catalogs import clear_cache

    clear_cache()
    return {k: tuple(v) for k, v in stats.items()}


# --------------------------------------------------------------------------- import-yaml


@dataclass
class ImportReport:
    """What :func:`import_yaml` did: files written and deleted, keys missing per language."""

    written: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)
    #: ``{lang: {domain: [keys]}}`` of English keys with no translation.
    missing: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: Keys a language has that English has not (not imported), and other remarks.
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"wrote {len(self.written)} .po file(s), deleted {len(self.deleted)} YAML file(s)"]
        for lang, domains in sorted(self.missing.items()):
            total = sum(map(len, domains.values()))
            if not total:
                out.append(f"{lang}: complete")
                continue
            out.append(f"{lang}: {total} untranslated")
            for domain, keys in sorted(domains.items()):
                if keys:
                    more = f" (+{len(keys) - 5} more)" if len(keys) > 5 else ""
                    out.append(f"  {domain}: {', '.join(keys[:5])}{more}")
        out += [f"warning: {w}" for w in self.warnings]
        return out


def _folder_code(name: str) -> str | None:
    if name in _DERIVED:
        return None
    return _FOLDER_LANG.get(name, name)


def _yaml_folders(base: Path) -> dict[str, Path]:
    if not base.is_dir():
        return {}
    return {d.name: d for d in sorted(base.iterdir())
            if d.is_dir() and d.name not in ("locale", "translations", "__pycache__")
            and any(d.glob("*.yaml"))}


def _import_messages(base: Path, root: Path, report: ImportReport) -> None:
    folders = _yaml_folders(base)
    # English first: it gives every other language its msgids
    english = _english(root) if (root / _SOURCE).is_dir() else {}
    comments: dict[str, str] = {}
    en_yaml = folders.pop(_SOURCE, None)
    if en_yaml is not None:
        for path in sorted(en_yaml.glob("*.yaml")):
            msgs = english.setdefault(path.stem, {})
            msgs.update(_read_yaml_catalog(path))
            comments.update(_yaml_comments(path))
    en_comments = {}
    for domain in english:
        po = root / _SOURCE / "LC_MESSAGES" / f"{domain}.po"
        if po.is_file():
            en_comments.update({k: "\n".join(m.auto_comments)
                                for k, m in _messages_of(_read_po(po, "en")).items()
                                if m.auto_comments})
    en_comments.update(comments)
    for domain, msgs in english.items():
        po = root / _SOURCE / "LC_MESSAGES" / f"{domain}.po"
        old = _read_po(po, "en") if po.is_file() else None
        cat = _new_catalog("en", domain, f"messages of domain '{domain}' (the source)", old)
        for key, text in msgs.items():
            _add(cat, key, text, text, "en", en_comments.get(key))
        if _write_po(po, cat):
            report.written.append(po)
    # every other language: its YAML, over what its .po already has
    codes: dict[str, Path | None] = {c: None for c in _languages(root)} if root.is_dir() else {}
    for name, folder in folders.items():
        code = _folder_code(name)
        if code is None:
            report.warnings.append(f"{folder}: {name} is derived from sr by transliteration; "
                                   "not imported (write Serbian in Cyrillic under sr/)")
            continue
        codes[code] = folder
    for code, folder in sorted(codes.items()):
        values: dict[str, dict[str, object]] = {}
        for domain in english:
            po = root / code / "LC_MESSAGES" / f"{domain}.po"
            if po.is_file():
                for key, m in _messages_of(_read_po(po, code.replace("-", "_"))).items():
                    if "fuzzy" in m.flags:
                        continue
                    if isinstance(m.string, tuple):
                        if any(m.string):
                            values.setdefault(domain, {})[key] = dict(
                                zip(catalog_plural_categories(code), m.string, strict=False))
                    elif m.string:
                        values.setdefault(domain, {})[key] = m.string
        if folder is not None:
            for path in sorted(folder.glob("*.yaml")):
                if path.stem not in english:
                    report.warnings.append(f"{path}: no English catalog '{path.stem}'; "
                                           "not imported (kept)")
                    continue
                for key, value in _read_yaml_catalog(path).items():
                    if key not in english[path.stem]:
                        report.warnings.append(f"{path}: key '{key}' is not in English; "
                                               "not imported")
                        continue
                    values.setdefault(path.stem, {})[key] = value
        missing = report.missing.setdefault(code, {})
        for domain, msgs in english.items():
            po = root / code / "LC_MESSAGES" / f"{domain}.po"
            old = _read_po(po, code.replace("-", "_")) if po.is_file() else None
            cat = _new_catalog(code, domain, f"messages of domain '{domain}'", old)
            have = values.get(domain, {})
            for key, text in msgs.items():
                value = have.get(key)
                if isinstance(value, dict):
                    value = {c: v for c, v in value.items() if v}
                if not value:
                    missing.setdefault(domain, []).append(key)
                    value = None
                elif isinstance(text, dict) != isinstance(value, dict):
                    report.warnings.append(
                        f"{code}: {key}: {'plural' if isinstance(text, dict) else 'plain'} "
                        "in English, not in the translation; imported as it is")
                _add(cat, key, text, value, code, en_comments.get(key))
            if _write_po(po, cat):
                report.written.append(po)


def _import_frameworks(frameworks: Path, report: ImportReport) -> None:
    base = frameworks / "translations"
    floc = frameworks / "locale"
    folders = _yaml_folders(base)
    codes: dict[str, Path | None] = {c: None for c in _languages(floc)} if floc.is_dir() else {}
    for name, folder in folders.items():
        code = _folder_code(name)
        if code is None:
            report.warnings.append(f"{folder}: derived by transliteration; not imported")
            continue
        codes[code] = folder
    for code, folder in sorted(codes.items()):
        stems = {p.stem for p in (folder.glob("*.yaml") if folder else [])}
        stems |= {p.stem for p in (floc / code / "LC_MESSAGES").glob("*.po")}
        for stem in sorted(stems):
            fw = frameworks / f"{stem}.yaml"
            if not fw.is_file():
                report.warnings.append(f"{code}: no framework {fw.name}; translations of "
                                       f"'{stem}' not imported")
                continue
            texts = framework_texts(fw)
            po = floc / code / "LC_MESSAGES" / f"{stem}.po"
            have: dict[str, str] = {}
            old = _read_po(po, code.replace("-", "_")) if po.is_file() else None
            if old is not None:
                have = {m.id: m.string for m in old if m.id and m.string and not m.fuzzy}
            src = folder / f"{stem}.yaml" if folder else None
            if src is not None and src.is_file():
                data = yaml.safe_load(src.read_text(encoding="utf-8")) or {}
                if not isinstance(data, dict):
                    report.warnings.append(f"{src}: expected a mapping English → translation")
                    continue
                for en, tr in data.items():
                    if str(en) not in texts:
                        report.warnings.append(f"{src}: '{str(en)[:60]}' is not an English text "
                                               f"of {fw.name}; not imported")
                    elif tr:
                        have[str(en)] = str(tr)
            inline = _inline(fw, code)
            cat = _new_catalog(code, stem, f"texts of framework '{fw.name}'", old)
            missing = report.missing.setdefault(code, {}).setdefault(f"framework:{stem}", [])
            for text in texts:
                value = have.get(text) or inline.get(text) or ""
                if not value:
                    missing.append(text[:50])
                cat.add(text, value, flags=_flags(text))
            if _write_po(po, cat):
                report.written.append(po)


def _inline(fw: Path, code: str) -> dict[str, str]:
    """Translations a framework file already carries inline for ``code``."""
    data = yaml.safe_load(fw.read_text(encoding="utf-8")) or {}
    keys = [code, *(k for k, v in _FOLDER_LANG.items() if v == code)]
    out: dict[str, str] = {}
    for node in text_nodes(data):
        for k in keys:
            if node.get(k):
                out.setdefault(node["en"], node[k])
    return out


def import_yaml(base: Path | None = None, root: Path | None = None,
                frameworks: Path | None = None, delete: bool = True) -> ImportReport:
    """Turn every YAML catalog present into ``.po`` files, then delete the YAML.

    Messages: ``<base>/<lang>/<domain>.yaml`` (``base`` = ``socialkit/i18n``) into
    ``<root>/<lang>/LC_MESSAGES/<domain>.po``; English first (it gives the msgids), then every
    language found, each domain of English written for each language (untranslated where the
    YAML has no value). Frameworks: ``<frameworks>/translations/<lang>/<stem>.yaml`` (English
    text → translation) into ``<frameworks>/locale/<lang>/LC_MESSAGES/<stem>.po``. A folder
    ``sr`` or ``sr-Cyrl`` is Serbian in Cyrillic; ``sr-Latn`` is never stored. Idempotent:
    a second run finds no YAML and rewrites nothing. Templates (``.pot``) are refreshed.
    """
    base = base or config.PACKAGE_DIR / "i18n"
    root = root or config.locale_dir()
    frameworks = frameworks or config.FRAMEWORKS_DIR
    report = ImportReport()
    _import_messages(base, root, report)
    _import_frameworks(frameworks, report)
    extract(root, frameworks)
    if delete:
        kept = {str(w).split(":")[0] for w in report.warnings if w.endswith("(kept)")}
        for folder in [*_yaml_folders(base).values(),
                       *_yaml_folders(frameworks / "translations").values()]:
            for path in sorted(folder.glob("*.yaml")):
                if str(path) in kept or folder.name in _DERIVED:
                    continue
                path.unlink()
                report.deleted.append(path)
            if not any(folder.iterdir()):
                folder.rmdir()
    return report


# --------------------------------------------------------------------------- completeness


def catalog_problems(lang: str, root: Path | None = None) -> list[str]:
    """Everything that keeps the catalogs of supported language ``lang`` from being complete.

    Reads the ``.po`` files (not the compiled ones): for every message of English, the
    language's message must exist, be translated and not fuzzy; every ``{placeholder}`` of the
    English text must be in the translation (a plural form other than the last may leave out
    ``{n}``, as Ukrainian "one" forms may), none may be added; a plural message needs every
    plural form of the language (Babel's ``Plural-Forms``). English itself must have each
    ``msgstr`` equal to its ``msgid``. One line per problem, naming file, key and what is wrong.
    """
    from .catalogs import CATALOG_LANG

    root = root or config.locale_dir()
    code = CATALOG_LANG.get(lang, lang)
    n_forms = len(catalog_plural_categories(code))
    problems: list[str] = []
    for domain, english in _english(root).items():
        po = root / code / "LC_MESSAGES" / f"{domain}.po"
        if not po.is_file():
            problems.append(f"{po}: missing (the {len(english)} messages of '{domain}')")
            continue
        have = _messages_of(_read_po(po, code.replace("-", "_")))
        for key, en in english.items():
            m = have.get(key)
            where = f"{po.name}: {key}"
            if m is None:
                problems.append(f"{where}: missing")
                continue
            if m.fuzzy:
                problems.append(f"{where}: fuzzy (not confirmed by a translator)")
                continue
            strs = list(m.string) if isinstance(m.string, list | tuple) else [m.string]
            if isinstance(en, dict) != isinstance(m.id, list | tuple):
                problems.append(f"{where}: {'plural' if isinstance(en, dict) else 'plain'} in "
                                "English, not in the translation")
                continue
            if isinstance(en, dict) and (len(strs) != n_forms or not all(strs)):
                problems.append(f"{where}: {sum(map(bool, strs))} of {n_forms} plural forms")
                continue
            if not all(strs):
                problems.append(f"{where}: untranslated")
                continue
            if code == _SOURCE:
                want = [en["one"], en["other"]] if isinstance(en, dict) else [en]
                if strs != want:
                    problems.append(f"{where}: msgstr differs from msgid in English")
                continue
            fields = set().union(*(_fields(v) for v in
                                   (en.values() if isinstance(en, dict) else [en])))
            for i, s in enumerate(strs):
                got = _fields(s)
                need = fields - ({"n"} if isinstance(en, dict) and i < len(strs) - 1 else set())
                if need - got:
                    problems.append(f"{where}: placeholder(s) {sorted(need - got)} missing"
                                    + (f" in plural form {i}" if len(strs) > 1 else ""))
                if got - fields:
                    problems.append(f"{where}: placeholder(s) {sorted(got - fields)} not in "
                                    "the English message")
    return problems
