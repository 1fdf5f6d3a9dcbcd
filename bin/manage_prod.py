#!/usr/bin/env python
"""Any ``manage.py`` command on the production settings, in the environment `make serve` uses.

    .venv/bin/python bin/manage_prod.py ensure_editor --username NAME    # or: make editor

Production settings refuse to start without a secret key, host names and a database;
`make serve` (bin/serve.py) fills in whatever the environment leaves unset (the key kept in
``var/secret_key``, local host names, ``db.sqlite3``), and so does this, with the same
function, so a command here reaches the database `make serve` serves.
"""

import os
import sys

from serve import ROOT, production_environment


def main() -> None:
    env = production_environment()
    os.execve(sys.executable, [sys.executable, str(ROOT / "manage.py"), *sys.argv[1:]], env)


if __name__ == "__main__":
    main()
