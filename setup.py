"""Build step of the package: the wheel carries every message catalog compiled.

The metadata are in ``pyproject.toml``; this file only adds to setuptools' ``build_py`` the
step Babel's ``compile_catalog`` does for one folder: every ``.po`` of the message catalogs
(``socialkit/i18n/locale``) and of the framework translations (``socialkit/frameworks/locale``)
is compiled to the ``.mo`` beside it, and each folder gets ``compiled.json``, the SHA-256 of the
``.po`` each ``.mo`` was compiled from. At run time :func:`socialkit.i18n.catalogs.compiled`
reads a shipped ``.mo`` while its ``.po`` is unchanged and compiles an edited one into the cache
(docs/i18n.md, "Compiled catalogs"). Babel is a build requirement (``[build-system]``).
It also copies the report notebooks and the dashboard entry files into the package
(``socialkit/_bundled/``), so an installed wheel runs reports without a source checkout.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

#: Folders (relative to the build folder) whose ``<lang>/LC_MESSAGES/*.po`` are compiled.
LOCALE_FOLDERS = ("socialkit/i18n/locale", "socialkit/frameworks/locale")
#: The manifest written into each of them: ``{"<lang>/LC_MESSAGES/<domain>.po": sha256}``.
MANIFEST = "compiled.json"


def compile_folder(root: Path) -> list[Path]:
    """Compile every ``.po`` under ``root`` to the ``.mo`` beside it (fuzzy messages left out,
    as at run time) and write the manifest; returns the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written, manifest = [], {}
    for po in sorted(root.glob("*/LC_MESSAGES/*.po")):
        lang = po.parent.parent.name
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang.replace("-", "_"), domain=po.stem)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        manifest[po.relative_to(root).as_posix()] = hashlib.sha256(po.read_bytes()).hexdigest()
        written.append(mo)
    target = root / MANIFEST
    target.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return [*written, target]


#: Folders of the source checkout an installed package needs too, copied into
#: ``socialkit/_bundled/`` (``socialkit.config.notebooks_dir`` and ``dashboards_dir`` find them
#: there when there is no checkout): ``(folder, file pattern)``.
BUNDLED = (("notebooks", "*.ipynb"), ("dashboards", "*.py"))


def bundle(source: Path, build_lib: Path) -> list[Path]:
    """Copy :data:`BUNDLED` from the checkout ``source`` into the build; returns the files."""
    import shutil

    written = []
    for folder, pattern in BUNDLED:
        for path in sorted((source / folder).glob(pattern)):
            target = build_lib / "socialkit" / "_bundled" / folder / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            written.append(target)
    return written


class BuildPyWithCatalogs(build_py):
    """``build_py``, then the message catalogs compiled in the build folder and the report
    notebooks and dashboard entry files bundled."""

    def run(self) -> None:
        super().run()
        self._compiled = []
        for folder in LOCALE_FOLDERS:
            root = Path(self.build_lib) / folder
            if root.is_dir():
                self._compiled += [str(p) for p in compile_folder(root)]
        if not getattr(self, "editable_mode", False):   # an editable install reads the checkout
            self._compiled += [str(p) for p in bundle(Path(__file__).resolve().parent,
                                                       Path(self.build_lib))]

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *getattr(self, "_compiled", [])]


setup(cmdclass={"build_py": BuildPyWithCatalogs})
