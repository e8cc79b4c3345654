"""The coordinator check behind worker exit: pid and creation time, zombies count as dead."""

from __future__ import annotations

import subprocess
import sys
import time

import psutil

from ibcore import lifeline


def test_alive_matches_pid_and_creation_time():
    pid, created = lifeline.coordinator()
    assert lifeline.alive(pid, created)
    assert not lifeline.alive(pid, created - 1.0)  # a reused pid is another process


def test_a_killed_unreaped_child_is_dead():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    created = psutil.Process(child.pid).create_time()
    assert lifeline.alive(child.pid, created)
    child.kill()
    deadline = time.time() + 5
    while psutil.Process(child.pid).status() != psutil.STATUS_ZOMBIE and time.time() < deadline:
        time.sleep(0.02)
    assert psutil.Process(child.pid).status() == psutil.STATUS_ZOMBIE  # dead, not reaped yet
    assert not lifeline.alive(child.pid, created)
    child.wait()
    assert not lifeline.alive(child.pid, created)
