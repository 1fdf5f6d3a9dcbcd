#!/usr/bin/env python
"""`make run`'s last step: Django's development server and the background worker together.

    .venv/bin/python bin/run_dev.py [ADDRPORT]

The worker (``manage.py db_worker``) sends the e-mail that pages queue (printed on the
console in development) and any later background work. Ctrl-C stops both; when either
stops by itself (the port is taken, say) the other is stopped too. Both reload on code
changes. Uses the settings of the environment (`make run` exports the development ones).
"""

import sys

from serve import ROOT, supervise  # bin/serve.py, beside this file


def main(argv: list[str]) -> int:
    python = sys.executable
    return supervise(
        {
            "runserver": [python, "manage.py", "runserver", *argv],
            "worker": [python, "manage.py", "db_worker"],
        },
        cwd=ROOT,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
