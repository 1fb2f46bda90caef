"""Processes of a batch live and die together; SIGTERM and Ctrl-C stop a batch cleanly.

A ``socialkit report`` run is a tree of processes: the main process, multiprocessing's
forkserver and resource tracker, one worker per ``--workers``, and one Jupyter kernel per
worker (started by jupyter_client in a session of its own, so a signal to the main process
group never reaches it). Killing the main process used to leave the rest running. Now:

* every **kernel** gets ``PR_SET_PDEATHSIG`` = SIGKILL (Linux ``prctl`` through ctypes, set in
  the child between ``fork`` and ``exec`` by :func:`kernel_preexec`): it dies when the worker
  that started it dies, however the worker dies;
* every **worker** (:func:`guard_worker`) watches its parent's sentinel (a pipe that reaches
  end-of-file when the main process is gone, however it died, SIGKILL included) in a daemon
  thread, and on SIGTERM or when the parent is gone kills its kernels and exits; it ignores
  SIGINT (the main process decides what a Ctrl-C does);
* the **forkserver** and the **resource tracker** exit by themselves once the main process
  and the workers are gone (their pipes reach end-of-file);
* in the **main process**, :func:`stop_signals` turns SIGTERM and SIGINT into :class:`Stop`,
  which the runner catches to stop the workers, record what is finished and exit non-zero.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator

__all__ = [
    "Stop",
    "StopGuard",
    "guard_worker",
    "kernel_preexec",
    "set_parent_death_signal",
    "stop_signals",
]

_PR_SET_PDEATHSIG = 1
_prctl: Callable[..., int] | None = None
_prctl_loaded = False


def _load_prctl() -> Callable[..., int] | None:
    """libc's ``prctl`` (Linux), looked up once, in the parent, so a forked child only calls it."""
    global _prctl, _prctl_loaded
    if not _prctl_loaded:
        _prctl_loaded = True
        if sys.platform.startswith("linux"):
            with contextlib.suppress(OSError, AttributeError):
                _prctl = ctypes.CDLL(None, use_errno=True).prctl
    return _prctl


def set_parent_death_signal(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``sig`` to this process when its parent (thread) exits.

    Linux only (``prctl(PR_SET_PDEATHSIG)``); returns False where it is not available.
    """
    prctl = _load_prctl()
    return prctl is not None and prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0


def kernel_preexec() -> Callable[[], None] | None:
    """A ``preexec_fn`` for ``Popen`` that makes the child die with this process.

    Runs in the child after ``fork``: sets ``PR_SET_PDEATHSIG`` = SIGKILL, then exits at once
    if the parent already died in between (the signal would never come). None where
    ``prctl`` is not available.
    """
    prctl = _load_prctl()
    if prctl is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def guard_worker(cleanup: Callable[[], object]) -> None:
    """Make this worker process stop with the batch: on SIGTERM, or when its parent is gone.

    Either way ``cleanup`` (kill the worker's kernels) runs and the process exits at once.
    SIGINT is ignored: a Ctrl-C reaches the whole foreground process group, and the main
    process stops the workers itself.
    """

    def leave(code: int) -> None:
        with contextlib.suppress(BaseException):
            cleanup()
        os._exit(code)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: leave(128 + signum))
    import multiprocessing
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if sentinel is None:  # not started by multiprocessing
        return

    def watch() -> None:
        wait([sentinel])
        leave(1)

    threading.Thread(target=watch, name="socialkit-parent-watch", daemon=True).start()


class Stop(BaseException):
    """SIGTERM or SIGINT arrived: the batch must stop (raised in the main thread)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        """The shell's convention for death by a signal: 128 + the signal number."""
        return 128 + self.signum


class StopGuard:
    """The state of :func:`stop_signals`: which signal came, and whether to raise now."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self._deferred = 0
        self._done = False

    def handle(self, signum: int, frame: object) -> None:
        if self._done:  # the batch is complete, only its manifests are being written
            return
        first = self.signum is None
        self.signum = self.signum or signum
        if first and not self._deferred:
            raise Stop(signum)

    def finish(self) -> None:
        """Every job is done: from now on a signal no longer stops anything."""
        self._done = True

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Finish the block first (writing a PDF and its journal line), then stop."""
        self._deferred += 1
        try:
            yield
        finally:
            self._deferred -= 1
        if self.signum is not None and not self._deferred:
            raise Stop(self.signum)


@contextlib.contextmanager
def stop_signals() -> Iterator[StopGuard]:
    """Turn SIGTERM and SIGINT into :class:`Stop` in the main thread while the block runs.

    Only the first signal counts; later ones are ignored while the batch stops. Outside the
    main thread (where Python cannot install handlers) the block runs unguarded.
    """
    guard = StopGuard()
    if threading.current_thread() is not threading.main_thread():
        yield guard
        return
    previous = {sig: signal.signal(sig, guard.handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield guard
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
