"""Running wrk (Debian's package) on one URL and reading its figures, for the bench scripts."""

from __future__ import annotations

import re
import subprocess


def wrk(url: str, seconds: int, connections: int) -> dict:
    """Requests served, per second, median and 99th-percentile latency (ms), and errors.

    A latency is None when no request finished within the run (a page slower than it).
    ``requests`` is wrk's own count of completed requests: the bench divides the server's
    CPU time by it.
    """
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "--latency"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def ms(percentile: str) -> float | None:
        found = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)$", out, re.M)
        if found is None:
            return None
        value, unit = found.groups()
        return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "requests": int(re.search(r"^\s+(\d+) requests in", out, re.M).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "errors": (int(bad.group(1)) if bad else 0)
        + (sum(int(n) for n in sockets.groups()) if sockets else 0),
    }
