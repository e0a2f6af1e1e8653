"""Running a request's work in a worker thread, within the time budget and the concurrency.

Evaluation is pure CPU work: it runs in a worker thread so the server keeps answering (health,
other requests) while it computes. At most ``concurrency`` requests hold a slot; the others
wait their turn. A request whose work has not finished within ``time_budget`` seconds
(waiting included) is answered 503 at once; its thread cannot be interrupted and runs on to
the end of that one evaluation (bounded by the body, event and person limits), still counted
against the slots. While such overrunning work fills every slot, new requests are answered
503 ``busy`` rather than starting more threads, so an input that is slow to evaluate cannot
pile up CPU work without bound.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import anyio
import anyio.to_thread

from lab_rules.faces.serve.limits import Limits
from lab_rules.faces.serve.problems import ProblemError

__all__ = ["Budget"]

T = TypeVar("T")


class _Ticket:
    """One piece of work handed to a thread: whether it started, or was dropped unstarted."""

    __slots__ = ("dropped", "started")

    def __init__(self) -> None:
        self.started = False
        self.dropped = False


class _DroppedError(Exception):
    """The request gave up before its work started (the thread then does nothing)."""


class Budget:
    """The slots and the time budget of one server (one per app: no state between apps).
    The turns are made on first use, inside the event loop (older anyio needs one)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._turns: anyio.CapacityLimiter | None = None
        self._lock = threading.Lock()
        self._running = 0

    @property
    def running(self) -> int:
        """Threads doing work now, overrunning ones included."""
        with self._lock:
            return self._running

    def _take(self) -> _Ticket:
        with self._lock:
            if self._running >= self.limits.concurrency:
                raise ProblemError("busy", "every evaluation slot is taken by work that "
                                   "overran its time budget", headers={"Retry-After": "1"})
            self._running += 1
            return _Ticket()

    def _done(self) -> None:
        with self._lock:
            self._running -= 1

    def _job(self, ticket: _Ticket, work: Callable[[], T]) -> Callable[[], T]:
        def job() -> T:
            with self._lock:
                if ticket.dropped:
                    raise _DroppedError
                ticket.started = True
            try:
                return work()
            finally:
                self._done()
        return job

    def _drop(self, ticket: _Ticket) -> None:
        with self._lock:
            if not ticket.started:
                ticket.dropped = True
                self._running -= 1

    def deadline(self) -> float:
        """When a request that starts now must have been answered (the event loop's clock)."""
        return anyio.current_time() + self.limits.time_budget

    @contextmanager
    def until(self, deadline: float) -> Iterator[None]:
        """Cancel what runs inside past *deadline*, as a ``time-budget-exceeded`` problem."""
        try:
            with anyio.fail_after(max(0.0, deadline - anyio.current_time())):
                yield
        except TimeoutError:
            raise ProblemError(
                "time-budget-exceeded", f"the request took longer than the time budget of "
                f"{self.limits.time_budget:g} seconds") from None

    async def run(self, work: Callable[[], T], deadline: float) -> T:
        """*work*'s result, computed in a worker thread in this request's turn; raises
        :class:`ProblemError` past *deadline* (waiting for a turn included), or when
        overrunning work fills every slot. Exceptions of *work* propagate."""
        if self._turns is None:
            self._turns = anyio.CapacityLimiter(self.limits.concurrency)
        with self.until(deadline):
            async with self._turns:
                ticket = self._take()
                try:
                    return await anyio.to_thread.run_sync(self._job(ticket, work),
                                                          abandon_on_cancel=True)
                except BaseException:
                    self._drop(ticket)
                    raise
