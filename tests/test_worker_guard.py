"""Stopping a pool's workers ends the run's process too (``loops.worker_guard``).

CI once saw a batch hang for good after SIGTERM: a worker was killed while it sent a result
larger than a pipe holds, and the pool's manager thread, having read the message's length,
waited for the rest. The run's own end of the result pipe stayed open, so the rest never came
and no end of file either, and the interpreter's exit joined that thread forever. The test puts
the manager thread in that state on purpose (a length and part of a message, written from this
side) and runs in a child process, so a hang fails the test instead of the suite."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import os, struct, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from lab_rules.loops.worker_guard import stop_workers

    if __name__ == "__main__":
        executor = ProcessPoolExecutor(2)
        assert executor.submit(abs, -1).result() == 1
        manager = executor._executor_manager_thread
        writer = executor._result_queue._writer
        os.write(writer.fileno(), struct.pack("!i", 1 << 20) + b"cut off")
        time.sleep(0.5)
        stop_workers(executor)
        manager.join(20)
        print("manager thread ended" if not manager.is_alive() else "manager thread blocked")
        sys.stdout.flush()
""")


def test_stopping_workers_frees_a_manager_thread_waiting_on_a_cut_off_result() -> None:
    try:
        done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                              timeout=60, check=False)
    except subprocess.TimeoutExpired as hung:
        raise AssertionError(f"the process did not end: {hung.stdout!r}") from None
    assert done.stdout.strip() == "manager thread ended", (done.stdout, done.stderr)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr


GROUP_STOP = textwrap.dedent("""
    import os, signal, time
    from lab_rules.loops.worker_guard import worker_pool

    if __name__ == "__main__":
        executor = worker_pool(2, abs, (0,))
        futures = [executor.submit(time.sleep, 30) for _ in range(20)]
        time.sleep(1)
        assert sum(future.cancel() for future in futures) > 0
        for pid in list(executor._processes):
            os.kill(pid, signal.SIGKILL)
        time.sleep(1)
        executor.shutdown(wait=False)
""")


def test_workers_dying_under_a_run_that_cancelled_its_tasks_print_no_traceback() -> None:
    """A signal to the whole process group ends the workers while the run cancels the tasks
    it had not handed over; the pool's manager thread must pass over those tasks."""
    done = subprocess.run([sys.executable, "-c", GROUP_STOP], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr
