"""Workers exit when the `ibrep` process coordinating them dies (e.g. `kill -9`).

A worker calls `watch(pid, create_time)` with the coordinator's `coordinator()` once; a daemon
thread then checks every second that the coordinator still exists and exits the worker
(`os._exit`, so no lock or pending pipe can hold it up) within about a second of its death. The
run it was executing stays unfinished (no `done` marker) and is redone by the next sweep.

Why a watchdog thread and not `prctl(PR_SET_PDEATHSIG)`: the signal is Linux-only, and it fires
when the *thread* that created the child exits rather than the process (a process pool may
start replacement workers from a helper thread); the thread works on any POSIX system and
watches any process, not only the parent. The pid is checked together with its creation time,
so a reused pid is not mistaken for the coordinator, and a zombie (killed, not yet reaped)
counts as dead. (Local Ray workers need none: Ray ends them when its driver dies.)
"""

from __future__ import annotations

import os
import sys
import threading
import time

import psutil

_WATCHED: set[int] = set()
_LOCK = threading.Lock()


def coordinator() -> tuple[int, float]:
    """(pid, creation time) of this process, for workers to watch."""
    return os.getpid(), psutil.Process().create_time()


def alive(pid: int, create_time: float) -> bool:
    """Whether the process `pid` started at `create_time` is still running (zombies are not)."""
    try:
        proc = psutil.Process(pid)
        return proc.create_time() == create_time and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _watch_loop(pid: int, create_time: float, interval: float) -> None:
    while alive(pid, create_time):
        time.sleep(interval)
    print(f"ibrep worker {os.getpid()}: coordinator {pid} is gone; exiting", file=sys.stderr,
          flush=True)
    os._exit(1)


def watch(pid: int, create_time: float, interval: float = 1.0) -> None:
    """Exit this process soon after the process (`pid`, `create_time`) dies; idempotent."""
    with _LOCK:
        if pid in _WATCHED:
            return
        _WATCHED.add(pid)
    threading.Thread(target=_watch_loop, args=(pid, create_time, interval), daemon=True,
                     name=f"ibrep-lifeline-{pid}").start()
