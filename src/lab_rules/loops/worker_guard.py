"""Worker processes that never outlive their run.

In the run's process, :func:`lab_rules.loops.interrupts.interruptible` turns SIGTERM and
SIGHUP into :class:`~lab_rules.loops.interrupts.Interrupted` (SIGINT already raises
``KeyboardInterrupt``), so the run's ``finally`` blocks stop the workers (:func:`stop_workers`)
and remove the temporary files. In each worker, :func:`guard_worker`
ignores SIGINT (the run decides), asks Linux to kill the worker when its parent dies
(``prctl(PR_SET_PDEATHSIG)``), and, on every system, watches the parent and the run's process
from a thread and ends the worker when either is gone, so a killed run leaves no worker behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from lab_rules.core.aside import process_alive
from lab_rules.core.errors import LabRulesError
from lab_rules.loops.interrupts import shielded

MAX_WORKERS = 256
"""The most worker processes a run may start. A worker is a process holding the law and its
part of the caseload (tens of MB); past the machine's cores more of them only cost memory and
start-up time, and the tables are the same for any number. 256 is above the cores of the
machines this runs on, and a fixed bound (not a multiple of ``os.cpu_count()``) makes a command
line valid on every machine or on none. Without it, ``--workers 10**22`` ran until killed
(batch) or overflowed (compare)."""
WATCH_SECONDS = 1
"""How often a worker looks whether its run is still there."""
_PR_SET_PDEATHSIG = 1
_EXIT_ORPHANED = 3


def _watch(parent: int, run: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent or not process_alive(run):
            os._exit(_EXIT_ORPHANED)


def guard_worker(run: int) -> None:
    """In a worker process: end with the run whose pid is *run* (see the module)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(AttributeError, OSError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent != os.getppid() or not process_alive(run):
        os._exit(_EXIT_ORPHANED)
    threading.Thread(target=_watch, args=(parent, run), daemon=True,
                     name="lab-rules-watch-run").start()


class WorkerPool(ProcessPoolExecutor):
    """A process pool whose manager thread, when a worker dies (a signal to the whole process
    group), passes over the tasks the run has cancelled. Python 3.11 sets the broken pool's
    exception on them too, which raises ``InvalidStateError`` in that thread and prints its
    traceback on the way out (3.12 ignores them; a fault review saw it after a group SIGHUP)."""

    def _start_executor_manager_thread(self) -> None:
        super()._start_executor_manager_thread()
        manager = getattr(self, "_executor_manager_thread", None)
        if sys.version_info < (3, 12) and manager is not None:
            manager.terminate_broken = _passing_cancelled(manager)


def _passing_cancelled(manager: Any) -> Callable[[Any], None]:
    broken = manager.terminate_broken

    def terminate_broken(cause: Any) -> None:
        manager.pending_work_items = {
            work_id: item for work_id, item in manager.pending_work_items.items()
            if not item.future.cancelled()}
        broken(cause)
    return terminate_broken


def checked_workers(workers: int | None) -> int:
    """*workers*, or by default the machine's cores (at most :data:`MAX_WORKERS`); raises
    :class:`LabRulesError` for a number from outside 1 to :data:`MAX_WORKERS`."""
    if workers is None:
        return min(os.cpu_count() or 1, MAX_WORKERS)
    if not 1 <= workers <= MAX_WORKERS:
        raise LabRulesError(f"workers {workers}: must be from 1 to {MAX_WORKERS}")
    return workers


def worker_pool(workers: int, initializer: Callable[..., object],
                initargs: tuple[Any, ...]) -> ProcessPoolExecutor:
    """A pool of *workers* processes, each started by *initializer* (which calls
    :func:`guard_worker`), stopped by :func:`stop_workers` on an interrupt."""
    return WorkerPool(workers, initializer=initializer, initargs=initargs)


def stop_workers(executor: ProcessPoolExecutor) -> None:
    """End an executor's workers now (on an interrupt or error), not after their tasks.

    The queue of tasks not yet handed over is given up (``cancel_join_thread``): its feeder
    thread may be blocked writing a large chunk into a pipe no worker reads any more, and the
    run's exit must not wait for it. Once the workers are gone, this process's own end of the
    result pipe is closed: a worker killed while it sent a result larger than a pipe holds
    leaves the pool's manager thread waiting for the rest of that message, and only an end of
    file frees it (the interpreter's exit joins that thread)."""
    with shielded():
        _stop(executor)


def _stop(executor: ProcessPoolExecutor) -> None:
    manager = getattr(executor, "_executor_manager_thread", None)
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    calls = getattr(executor, "_call_queue", None)
    results = getattr(executor, "_result_queue", None)
    if calls is not None:
        with contextlib.suppress(Exception):
            calls.cancel_join_thread()
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(WATCH_SECONDS)
    writer = getattr(results, "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.close()
    # let the pool's manager thread finish its own clean-up (it closes its wake-up pipe)
    # before the interpreter's exit wakes it: on Python 3.11 the two race, and the exit then
    # writes to a closed pipe ("Exception ignored ... OSError: Bad file descriptor")
    if manager is not None and manager is not threading.current_thread():
        with contextlib.suppress(Exception):
            manager.join(5 * WATCH_SECONDS)
