"""Shared fixtures: a freshly generated demo catalog in a temporary folder, the ``socialkit``
command run in-process (``cli``), a real dashboard server on a free port (``real_server``), and
a real throwaway PostgreSQL server (``pg_server``, below: its notes).
"""

from __future__ import annotations

import glob
import http.client
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

# Tests never touch the network and never write into the source tree.
os.environ.setdefault("SOCIALKIT_REPORTS_DIR", str(Path(os.environ.get("TMPDIR", "/tmp"))
                                                  / "socialkit-test-reports"))
# ...and never open the user's own store (the SQLite file in ~/.local/share/socialkit).
os.environ.setdefault("SOCIALKIT_DATA_DIR", str(Path(os.environ.get("TMPDIR", "/tmp"))
                                               / "socialkit-test-data"))


def _no_skips() -> bool:
    # `make test` (and so CI) sets this: there every test must run. A test skipped for want of a
    # package, a program or data means the set-up is incomplete, which is a failure to report.
    return bool(os.environ.get("SOCIALKIT_TEST_NO_SKIP"))


def _fail_skip(report) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (f"skipped, but every test must run under `make test` "
                       f"(SOCIALKIT_TEST_NO_SKIP is set): {reason}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _no_skips() and not hasattr(report, "wasxfail"):
        _fail_skip(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _no_skips():
        _fail_skip(report)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder holding the 10-municipality demo data set and its ``catalog.yaml``."""
    from socialkit.data.demo import write_demo

    out = tmp_path_factory.mktemp("demo")
    write_demo(out)
    return out


@pytest.fixture(scope="session")
def demo_catalog(demo_dir: Path) -> Path:
    """Path of the demo ``catalog.yaml`` (session-wide; do not modify its files)."""
    return demo_dir / "catalog.yaml"


@pytest.fixture(scope="session")
def demo_tables(demo_catalog: Path) -> dict:
    """Every demo table, loaded and validated."""
    from socialkit.data import load_all

    return load_all(demo_catalog)


class CliResult(tuple):
    """What a run of the ``socialkit`` command gave: unpacks as ``code, output = cli(...)``;
    also ``.code``, ``.output`` (stdout then stderr, what the user saw), ``.out``, ``.err``."""

    def __new__(cls, code: int, out: str, err: str):
        self = super().__new__(cls, (code, out + err))
        self.code, self.output, self.out, self.err = code, out + err, out, err
        return self

    def streams(self) -> tuple[int, str, str]:
        """``(code, stdout, stderr)``, for checks that tell the two streams apart."""
        return self.code, self.out, self.err


@pytest.fixture
def cli(capsys):
    """Run the ``socialkit`` entry point in-process as a user would, e.g.
    ``code, output = cli("report", "maturity", "--out", folder)`` (a list works too).

    Arguments are turned into strings; the exit code is 0, the ``SystemExit`` code, or 1 for a
    non-integer exit; ``output`` is what the user saw (stdout then stderr), ``out``/``err``
    each stream alone.
    """
    from socialkit.cli import main

    def run(*argv) -> CliResult:
        if len(argv) == 1 and isinstance(argv[0], list | tuple):
            argv = tuple(argv[0])
        capsys.readouterr()  # what came before is not this command's
        try:
            main([str(a) for a in argv])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@dataclass(frozen=True)
class RealServer:
    """A server started by :func:`serve` (``base`` URL, ``port``, the process, its log)."""

    base: str
    port: int
    proc: subprocess.Popen
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(host: str, port: int, path: str) -> bool:
    conn = http.client.HTTPConnection(host, port, timeout=30)  # a first page may be slow
    try:
        conn.request("GET", path)
        conn.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        conn.close()


@contextmanager
def serve(args: list[str], work: Path, *, program: str = "socialkit", ready: str = "/login",
          address: str = "127.0.0.1", env: dict | None = None, timeout: float = 90.0):
    """``<program> serve <args> --port <free> --address <address>`` in a subprocess (the
    venv's own ``socialkit`` or ``panel``; ``{port}`` in an argument becomes the port), up
    once ``ready`` answers over HTTP (any status);
    stopped (terminate, then kill) when the block ends. ``env`` is added to this process's
    environment (``SOCIALKIT_LANG=en`` unless given); a key set to None is removed. The
    server's output goes to ``work/server.log``; a server that exits early fails with it.
    """
    port = free_port()
    environ = {**os.environ, "SOCIALKIT_LANG": "en"}
    for key, value in (env or {}).items():
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    log_path = work / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name(program)), "serve",
             *(str(a).replace("{port}", str(port)) for a in args),
             "--port", str(port), "--address", address],
            stdout=log, stderr=subprocess.STDOUT, env=environ)
        try:
            deadline = time.monotonic() + timeout
            while not _answers(address, port, ready):
                if proc.poll() is not None:
                    raise RuntimeError(f"{program} serve exited with {proc.returncode}: "
                                       f"{log_path.read_text(errors='replace')}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{program} serve did not answer {ready} in {timeout} s")
                time.sleep(0.3)
            yield RealServer(f"http://{address}:{port}", port, proc, log_path)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def real_server():
    """:func:`serve`: a context manager starting a real dashboard server, e.g.
    ``with real_server(["--catalog", cat], work) as server: ... server.base ...``."""
    return serve


def _drawn(obj, backend: str):
    """Render a HoloViews object and check that something with data was drawn.

    Bokeh: at least one glyph renderer whose data source has rows. Matplotlib: at least one
    axes holding a line with points, a collection with paths or offsets, a patch (bar, wedge)
    or an image. ``hv.render(...) is not None`` alone cannot fail.
    """
    import holoviews as hv

    out = hv.render(obj, backend=backend)
    if backend == "bokeh":
        from bokeh.models import GlyphRenderer

        rows = [max((len(v) for v in r.data_source.data.values()), default=0)
                for r in out.select({"type": GlyphRenderer})]
        assert rows and max(rows) > 0, f"nothing drawn: {len(rows)} glyph renderers, all empty"
        return out
    artists = 0
    for ax in out.axes:
        artists += sum(len(line.get_xdata()) > 0 for line in ax.lines)
        artists += sum(bool(len(c.get_paths()) or len(c.get_offsets())) for c in ax.collections)
        artists += len(ax.patches) + len(ax.images)
    assert artists > 0, f"nothing drawn on {len(out.axes)} axes"
    return out


@pytest.fixture(scope="session")
def assert_drawn():
    """``assert_drawn(obj, backend)``: render and check something was drawn (see ``_drawn``)."""
    return _drawn
# ---------------------------------------------------------------- PostgreSQL
# A real, throwaway PostgreSQL server for the SQL-source tests (``pg_server`` fixture).
#
# The fixture runs ``initdb`` in a fresh temporary folder and starts ``postgres`` in the
# foreground on a Unix socket in that folder (no TCP port, so parallel pytest-xdist workers —
# one server each — never collide), with ``log_statement=all`` so a test can read what the
# server received. It stops the server and removes the folder at the end of the session; if
# pytest itself is killed, the server gets SIGINT from the kernel (``setpriv --pdeathsig``).
#
# As root, PostgreSQL refuses to run: the folder is given to the ``postgres`` system user that
# Debian's ``postgresql`` package creates, and ``initdb``/``postgres`` run as that user through
# ``setpriv``. As any other user they run directly.
#
# Binaries: ``initdb`` and ``postgres`` on ``PATH`` or the newest ``/usr/lib/postgresql/*/bin``
# (Debian; installed by ``scripts/system-deps.sh``). Without them the PostgreSQL tests fail when
# the ``CI`` environment variable is set, and are skipped otherwise. ``SOCIALKIT_TEST_PG_URL``
# names an existing server (a database the tests may fill) instead of starting one.

_SUPERUSER = "socialkit"
_DATABASE = "socialkit_test"
_START_TIMEOUT = 90.0  # seconds; generous, the test machine may be busy


@dataclass
class PgServer:
    """A running PostgreSQL server: its SQLAlchemy URL and, when we started it, its log."""

    url: str
    log: Path | None = None

    def log_text(self) -> str:
        """Everything the server logged so far ('' for a server we did not start)."""
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log else ""


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", path))


def find_pg_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``postgres``, or None when PostgreSQL is missing."""
    initdb = shutil.which("initdb")
    if initdb and (Path(initdb).parent / "postgres").exists():
        return Path(initdb).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    return Path(found[-1]).parent if found else None


def _missing(reason: str):
    message = (f"{reason}: the PostgreSQL tests need a server. Run scripts/system-deps.sh "
               "(as root: it installs the Debian package 'postgresql'), or set "
               "SOCIALKIT_TEST_PG_URL to a database they may use")
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _as_server_user(cmd: list[str], pdeathsig: str | None = None) -> list[str]:
    """``cmd`` run as the ``postgres`` user when we are root (PostgreSQL refuses root)."""
    prefix = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]
    elif pdeathsig and shutil.which("setpriv"):
        prefix = ["setpriv"]
    if prefix and pdeathsig:
        prefix.append(f"--pdeathsig={pdeathsig}")
    return [*prefix, "--", *cmd] if prefix else cmd


def _start(bindir: Path, folder: Path) -> tuple[subprocess.Popen, str, Path]:
    data, log = folder / "data", folder / "server.log"
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            _missing("no 'postgres' system user to run the server as (we are root)")
        os.chown(folder, user.pw_uid, user.pw_gid)
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    init = subprocess.run(
        _as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", _SUPERUSER,
                         "--auth=trust", "--encoding=UTF8", "--no-sync"]),
        cwd=folder, env=env, capture_output=True, text=True, timeout=_START_TIMEOUT)
    if init.returncode != 0:
        pytest.fail(f"initdb failed ({init.returncode}): {init.stderr[-2000:]}", pytrace=False)
    options = ["-k", str(folder), "-c", "listen_addresses=", "-c", "fsync=off",
               "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
               "-c", "log_statement=all", "-c", "log_min_messages=warning"]
    with open(log, "wb") as fh:
        if os.geteuid() == 0:
            os.chown(log, os.stat(folder).st_uid, os.stat(folder).st_gid)
        proc = subprocess.Popen(
            _as_server_user([str(bindir / "postgres"), "-D", str(data), *options],
                            pdeathsig="INT"),
            cwd=folder, env=env, stdout=fh, stderr=subprocess.STDOUT)
    url = f"postgresql+psycopg://{_SUPERUSER}@/{{db}}?host={folder}"
    return proc, url, log


def _wait_ready(proc: subprocess.Popen, url: str, log: Path) -> None:
    import sqlalchemy as sa

    deadline = time.monotonic() + _START_TIMEOUT
    while True:
        if proc.poll() is not None:
            pytest.fail(f"postgres exited ({proc.returncode}):\n{log.read_text()[-2000:]}",
                        pytrace=False)
        try:
            engine = sa.create_engine(url.format(db="postgres"), isolation_level="AUTOCOMMIT")
            with engine.connect() as con:
                con.exec_driver_sql(f"CREATE DATABASE {_DATABASE}")
            engine.dispose()
            return
        except sa.exc.OperationalError:
            if time.monotonic() > deadline:
                pytest.fail(f"postgres did not accept connections in {_START_TIMEOUT:.0f} s:\n"
                            f"{log.read_text()[-2000:]}", pytrace=False)
            time.sleep(0.2)


def _remove_stale_folders(max_age: float = 3600.0) -> None:
    """Remove the folders of servers whose pytest was killed (the server died with it)."""
    for folder in Path(tempfile.gettempdir()).glob("socialkit-pg-*"):
        try:
            if time.time() - folder.stat().st_mtime < max_age:
                continue
            pid_file = folder / "data" / "postmaster.pid"
            if pid_file.exists():
                pid = int(pid_file.read_text().split()[0])
                try:
                    os.kill(pid, 0)
                    continue  # still running
                except ProcessLookupError:
                    pass
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError, IndexError):
            continue


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for this test session (one per xdist worker); see the module doc."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("the PostgreSQL driver psycopg is not installed (pip install 'psycopg[binary]')")
    given = os.environ.get("SOCIALKIT_TEST_PG_URL")
    if given:
        yield PgServer(url=given)
        return
    bindir = find_pg_bindir()
    if bindir is None:
        _missing("PostgreSQL server binaries (initdb, postgres) not found")
    _remove_stale_folders()
    folder = Path(tempfile.mkdtemp(prefix="socialkit-pg-"))  # not under pytest's 0700 tmp
    proc = None
    try:
        proc, url, log = _start(bindir, folder)
        _wait_ready(proc, url, log)
        yield PgServer(url=url.format(db=_DATABASE), log=log)
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(2)  # SIGINT: PostgreSQL's fast shutdown
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path):
    """The URL of an empty database: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        _close_stores()
        return
    server = request.getfixturevalue("pg_server")
    name = f"store_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(sa.make_url(server.url).set(database="postgres"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield sa.make_url(server.url).set(database=name).render_as_string(hide_password=False)
    finally:
        _close_stores()
        with admin.connect() as con:
            con.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def _close_stores():
    from socialkit.store import close_stores

    close_stores()
