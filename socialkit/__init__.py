"""socialkit — analytics and reporting for municipal social services.

The public API lives in the sub-packages: :mod:`socialkit.data` (catalogs, schemas, demo),
:mod:`socialkit.index` (composite indicators), :mod:`socialkit.maturity`,
:mod:`socialkit.access`, :mod:`socialkit.needs`, :mod:`socialkit.passport`,
:mod:`socialkit.monitoring`, :mod:`socialkit.plots`, :mod:`socialkit.views` and
:mod:`socialkit.reporting`. Importing the package itself is cheap.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__: str = version("socialkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"

__all__ = ["__version__"]
