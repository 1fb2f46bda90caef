"""A papermill engine that runs every notebook of a worker in one warm, pre-imported kernel.

papermill's default engine starts a fresh Jupyter kernel for each notebook, and the kernel then
imports pandas, HoloViews, Matplotlib and socialkit again: seconds of start-up, imports and
shutdown per report, far more than the report itself takes. The ``socialkit-warm`` engine
keeps one kernel per worker thread, started once, warmed
by :func:`socialkit.reporting.kernel.warm_up`, and reset before each notebook
(:func:`socialkit.reporting.kernel.reset`: the user namespace is emptied; imported modules stay loaded). A kernel that died or
timed out is discarded and a new one started for the next notebook.

Use it like any papermill engine::

    papermill.execute_notebook(nb, out, parameters, engine_name="socialkit-warm")

Kernels are shut down when the worker process exits (:func:`shutdown_kernels`).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import subprocess
import threading
import time
from multiprocessing import util as _mp_util
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core import utils as _jupyter_utils
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

from .. import config
from ..errors import ReportError
from .lifeline import kernel_preexec

__all__ = [
    "ENGINE_NAME",
    "WarmKernel",
    "WarmKernelEngine",
    "get_kernel",
    "kill_kernels",
    "prepare_worker",
    "shutdown_kernels",
    "use_thread_loop",
]

ENGINE_NAME = "socialkit-warm"

_WARM_UP_CODE = "import socialkit.reporting.kernel as _sk_kernel\n_sk_kernel.warm_up()\ndel _sk_kernel\n"
_RESET_CODE = "import socialkit.reporting.kernel as _sk_kernel\n_sk_kernel.reset()\n"


def kernel_env() -> dict[str, str]:
    """Environment of a report kernel: ours, plus SVG figures with text labels (static figures
    are chosen by :func:`socialkit.reporting.kernel.warm_up`, not by the environment)."""
    env = dict(os.environ)
    # figure labels as SVG text: WeasyPrint has the font, draws it ~2.5x faster than glyph
    # paths, and the labels become searchable text in the PDF
    env.setdefault("SOCIALKIT_SVG_FONTTYPE", "none")
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


class WarmKernel:
    """One running Jupyter kernel, warmed up once and reused for many notebooks."""

    def __init__(self, kernel_name: str = "python3", startup_timeout: float = 60):
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.thread = threading.get_ident()
        self.km: AsyncKernelManager | None = None
        self.kc: Any = None
        self.notebooks_run = 0
        self._pending: str | None = None  # msg_id of a warm-up still running

    def start(self, wait: bool = True) -> WarmKernel:
        """Start the kernel and its client, then import the heavy libraries in it.

        With ``wait=False`` the warm-up imports are sent but not waited for, so the caller
        can do its own imports meanwhile; :meth:`ready` waits for them.
        """
        self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        folder = config.notebooks_dir()
        cwd = str(folder) if folder.is_dir() else os.getcwd()
        # the kernel's own log (e.g. "running over TCP without encryption") is not report
        # output; notebook warnings and errors arrive as messages, not on this stream
        # the kernel runs in a session of its own (jupyter_client): it must die with this
        # process however this process dies (lifeline.kernel_preexec: PR_SET_PDEATHSIG)
        extra = {"preexec_fn": preexec} if (preexec := kernel_preexec()) else {}
        run_sync(self.km.start_kernel)(env=kernel_env(), cwd=cwd, stderr=subprocess.DEVNULL,
                                       **extra)
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
        self.kc.allow_stdin = False
        if wait:
            self.run_code(_WARM_UP_CODE, timeout=max(120.0, self.startup_timeout))
        else:
            self._pending = self.kc.execute(_WARM_UP_CODE, store_history=False,
                                            allow_stdin=False)
        return self

    def ready(self) -> WarmKernel:
        """Wait until a warm-up started with ``start(wait=False)`` has finished."""
        pending, self._pending = self._pending, None
        if pending is None:
            return self
        deadline = time.monotonic() + max(120.0, self.startup_timeout)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReportError("the report kernel did not finish its warm-up in time")
            msg = run_sync(self.kc._async_get_shell_msg)(timeout=remaining)
            if msg.get("parent_header", {}).get("msg_id") != pending:
                continue
            content = msg.get("content", {})
            if content.get("status") != "ok":
                raise ReportError(
                    f"the report kernel failed to prepare: {content.get('ename')}: "
                    f"{content.get('evalue')}"
                )
            return self

    def run_code(self, code: str, timeout: float = 60) -> None:
        """Run ``code`` in the kernel, discarding its output; raise if it fails."""
        reply = run_sync(self.kc._async_execute_interactive)(
            code, store_history=False, allow_stdin=False, timeout=timeout,
            output_hook=lambda msg: None,
        )
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise ReportError(
                f"the report kernel failed to prepare: {content.get('ename')}: "
                f"{content.get('evalue')}"
            )

    def is_alive(self) -> bool:
        """Whether the kernel process is still running."""
        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def reset(self) -> None:
        """Empty the user namespace and close figures before the next notebook."""
        self.run_code(_RESET_CODE)

    def shutdown(self) -> None:
        """Stop the kernel: gracefully from its own thread, otherwise by killing the process."""
        km, kc, self.km, self.kc = self.km, self.kc, None, None
        if km is None:
            return
        if threading.get_ident() == self.thread:
            with contextlib.suppress(Exception):
                kc.stop_channels()
            with contextlib.suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)
            return
        provisioner = getattr(km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is not None:
            with contextlib.suppress(Exception):
                process.kill()
                process.wait(timeout=5)
        with contextlib.suppress(Exception):
            km.cleanup_connection_file()


_local = threading.local()
_all_kernels: list[WarmKernel] = []
_lock = threading.Lock()


def use_thread_loop() -> asyncio.AbstractEventLoop:
    """Make this thread's own asyncio loop the one jupyter_client and nbclient run on.

    ``jupyter_core.utils.run_sync`` (used by jupyter_client, nbclient and papermill) keeps its
    event loop in a *context variable*. A thread whose context was copied from another — Dask
    runs tasks that way — inherits that thread's loop, so two worker threads would drive one
    loop at once and a kernel would fail to start ("coroutine … was never awaited"). Each
    worker thread therefore gets its own loop, used for its kernel for as long as it lives.
    """
    loop = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _local.loop = loop
    asyncio.set_event_loop(loop)
    var = getattr(_jupyter_utils, "_loop", None)
    if var is not None and var.get(None) is not loop:
        var.set(loop)
    return loop


def get_kernel(kernel_name: str = "python3", startup_timeout: float = 60,
               wait: bool = True) -> WarmKernel:
    """This thread's warm kernel for ``kernel_name``, started (or restarted) when needed.

    With ``wait=False`` a new kernel's warm-up runs in the background (see
    :meth:`WarmKernel.start`); the engine waits for it before the first notebook.
    """
    use_thread_loop()
    kernels: dict[str, WarmKernel] = getattr(_local, "kernels", None) or {}
    _local.kernels = kernels
    kernel = kernels.get(kernel_name)
    if kernel is not None and wait:
        try:
            kernel.ready()
        except Exception:
            _discard(kernel)
            kernel = None
    if kernel is not None and not kernel.is_alive():
        _discard(kernel)
        kernel = None
    if kernel is None:
        kernel = WarmKernel(kernel_name, startup_timeout)
        try:
            kernel.start(wait=wait)
        except BaseException:
            kernel.shutdown()
            raise
        kernels[kernel_name] = kernel
        with _lock:
            _all_kernels.append(kernel)
    return kernel


def _discard(kernel: WarmKernel) -> None:
    kernels = getattr(_local, "kernels", {})
    if kernels.get(kernel.kernel_name) is kernel:
        del kernels[kernel.kernel_name]
    with _lock:
        if kernel in _all_kernels:
            _all_kernels.remove(kernel)
    kernel.shutdown()


def prepare_worker() -> None:
    """Initialise a worker process: start its kernel, and import rendering while it warms up.

    The kernel's imports (pandas, HoloViews, Matplotlib, socialkit) and this process's
    (nbconvert, WeasyPrint) run at the same time instead of one after the other.
    """
    try:
        get_kernel(wait=False)
    except Exception:  # the first job starts the kernel again and reports why
        pass
    from .render import warm_up_renderer

    warm_up_renderer()


def shutdown_kernels() -> int:
    """Shut down every warm kernel of this process; return how many there were."""
    with _lock:
        kernels = list(_all_kernels)
        _all_kernels.clear()
    for kernel in kernels:
        kernel.shutdown()
    _local.kernels = {}
    return len(kernels)


def kill_kernels() -> int:
    """Kill every kernel process of this process at once (a worker that must stop now).

    Safe from a signal handler or another thread: no messages, no event loop, just
    ``SIGKILL`` to each kernel and removal of its connection file.
    """
    with _lock:
        kernels = list(_all_kernels)
    for kernel in kernels:
        km = kernel.km
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None:
            with contextlib.suppress(Exception):
                process.kill()
        with contextlib.suppress(Exception):
            km.cleanup_connection_file()
    return len(kernels)


atexit.register(shutdown_kernels)
# multiprocessing workers leave through os._exit, skipping atexit; their finalizers still run
_mp_util.Finalize(None, shutdown_kernels, exitpriority=10)


class WarmKernelEngine(NBClientEngine):
    """papermill engine ``socialkit-warm``: execute in this thread's warm kernel."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 **kwargs):
        kernel = get_kernel(kernel_name or "python3", start_timeout)
        kernel.reset()
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client = PapermillNotebookClient(nb_man, km=kernel.km, **final_kwargs)
        client.kc = kernel.kc
        try:
            result = client.execute()
        except BaseException:
            # a timeout or a dead kernel: never reuse a kernel in an unknown state
            _discard(kernel)
            raise
        kernel.notebooks_run += 1
        return result


papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
