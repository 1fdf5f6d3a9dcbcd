#!/usr/bin/env python
"""`make run`'s last step: Django's development server and the background worker together.

    .venv/bin/python bin/run_dev.py [ADDRPORT]

The worker (``manage.py db_worker``) sends the e-mail that pages queue (printed on the
console in development) and any later background work. Ctrl-C stops both; when either
stops by itself (the port is taken, say) the other is stopped too. Both reload on code
changes. Uses the settings of the environment (`make run` exports the development ones).

Once the server answers, one request to ``/healthz`` has it load the site's code (Django's
development server does so on its first request), so a viewer's first page does not wait
for it.
"""

import sys
import threading
import time
import urllib.request

from serve import ROOT, supervise  # bin/serve.py, beside this file


def warm_up(address: str, deadline: float = 60) -> None:
    """Ask ``/healthz`` once the server answers, so the first viewer finds the code loaded."""
    host, _, port = address.rpartition(":")
    url = f"http://{host or '127.0.0.1'}:{port or '8000'}/healthz"
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        try:
            urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 - our own server
            return
        except OSError:
            time.sleep(0.3)


def main(argv: list[str]) -> int:
    python = sys.executable
    address = argv[0] if argv else "127.0.0.1:8000"
    threading.Thread(target=warm_up, args=(address,), daemon=True).start()
    return supervise(
        {
            "runserver": [python, "manage.py", "runserver", *argv],
            "worker": [python, "manage.py", "db_worker"],
        },
        cwd=ROOT,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
