"""A server's CPU time, read from /proc: gunicorn's workers' user + system clock ticks.

The bench divides the ticks a worker used during a load by the requests wrk saw served, so
the figure is CPU per request, whatever else shares the machine's cores (wall-clock
latency is not: the load generator runs beside the server).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def gunicorn_workers(root: int, timeout: float = 30) -> list[int]:
    """The workers of the gunicorn master at ``root`` or started below it (bin/serve.py's)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending, masters = [root], []
        while pending:
            pid = pending.pop()
            if "gunicorn" in command_line(pid):
                masters.append(pid)
            else:
                pending.extend(children(pid))
        workers = [w for master in masters for w in children(master)]
        if workers:
            return workers
        time.sleep(0.2)
    raise RuntimeError(f"no gunicorn worker below process {root}")


def cpu_ms(pids: list[int]) -> float:
    """User + system CPU time (ms) the processes ``pids`` have used so far."""
    total = 0
    for pid in pids:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total * TICK_MS
