#!/usr/bin/env python
"""`make varnish`: Debian's varnishd with ``site.vcl`` in front of the app servers.

    python deploy/varnish/run.py

VCL reads no environment, so this writes the part that differs between installs,
``backends.vcl`` (the app servers, the round-robin director ``app`` over them, and the
addresses allowed to purge or to forward a viewer's address), into a working folder, then
runs varnishd in the foreground with that folder on its VCL path. Read from the environment:

- ``VARNISH_BACKENDS``: app servers, ``host:port`` comma separated (``127.0.0.1:8000``);
- ``VARNISH_LISTEN``: where Varnish listens (``:6081``), as varnishd's ``-a``;
- ``VARNISH_PURGERS``: IPs or CIDRs besides this machine that may send ``PURGE`` (the app
  servers, when they run elsewhere);
- ``VARNISH_UPSTREAM``: IPs or CIDRs of a TLS terminator or load balancer in front, whose
  ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are kept;
- ``VARNISH_PROBE_HOST``: the Host header of the health probe (``/healthz``), one of the
  app's ``DJANGO_ALLOWED_HOSTS`` (``127.0.0.1``);
- ``VARNISH_MEMORY``: the cache's size (``256m``); ``VARNISH_WORKDIR``: ``var/varnish``.

The tests and the benchmark import this file to start a Varnish of their own.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE_VCL = HERE / "site.vcl"
ROOT = HERE.parent.parent

# A backend is sick after two failed probes of three and well again after two good ones.
PROBE = {"interval": "2s", "timeout": "2s", "window": "3", "threshold": "2", "initial": "2"}


def parse_backends(text: str) -> list[tuple[str, int]]:
    """``host:port,host:port`` as pairs; a clear error for anything else."""
    backends = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        host, sep, port = item.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"A backend is host:port, not {item!r}.")
        backends.append((host.strip("[]"), int(port)))
    if not backends:
        raise ValueError("Name at least one backend (host:port).")
    return backends


def acl_entries(text: str | Sequence[str]) -> list[str]:
    """IPs or CIDRs as VCL ACL lines (``"10.0.0.0"/8;``); a clear error for a bad one."""
    items = text.split(",") if isinstance(text, str) else list(text)
    lines = []
    for item in (part.strip() for part in items):
        if not item:
            continue
        try:
            network = ipaddress.ip_network(item, strict=False)
        except ValueError as error:
            raise ValueError(f"Not an IP address or network: {item!r}.") from error
        lines.append(f'    "{network.network_address}"/{network.prefixlen};')
    return lines


def backends_vcl(
    backends: Sequence[tuple[str, int]],
    *,
    purgers: str | Sequence[str] = (),
    upstream: str | Sequence[str] = (),
    probe_host: str = "127.0.0.1",
    probe: Mapping[str, str] = PROBE,
) -> str:
    """The install's part of the VCL: backends with a health probe, the director, two ACLs.

    Each ACL holds this machine too, so neither is ever empty.
    """
    probe_vcl = "\n".join(
        [
            "probe healthz {",
            "    .request =",
            '        "GET /healthz HTTP/1.1"',
            f'        "Host: {probe_host}"',
            '        "X-Forwarded-Proto: https"',
            '        "Connection: close";',
            *(f"    .{name} = {value};" for name, value in probe.items()),
            "}",
        ]
    )
    parts = [probe_vcl]
    names = []
    for number, (host, port) in enumerate(backends, start=1):
        name = f"app{number}"
        names.append(name)
        parts.append(
            f'backend {name} {{\n    .host = "{host}";\n    .port = "{port}";\n'
            "    .probe = healthz;\n    .connect_timeout = 2s;\n"
            "    .first_byte_timeout = 30s;\n}"
        )
    adds = "".join(f"    app.add_backend({name});\n" for name in names)
    parts.append(f"sub vcl_init {{\n    new app = directors.round_robin();\n{adds}}}")
    local = ['    "127.0.0.1";']
    parts.append("acl purgers {\n" + "\n".join(local + acl_entries(purgers)) + "\n}")
    parts.append("acl upstream {\n" + "\n".join(local + acl_entries(upstream)) + "\n}")
    return (
        "# Written by deploy/varnish/run.py; changes here are overwritten.\n"
        + "\n\n".join(parts)
        + "\n"
    )


def varnishd() -> str:
    """The varnishd program; a clear error when Debian's package is missing."""
    found = shutil.which("varnishd") or next(
        (path for path in ("/usr/sbin/varnishd",) if Path(path).exists()), None
    )
    if found is None:
        raise FileNotFoundError(
            "varnishd is not installed: run `make install-dev` (Debian's varnish and "
            "varnish-modules), or `apt-get install varnish varnish-modules`."
        )
    return found


def prepare(
    workdir: Path,
    backends: Sequence[tuple[str, int]],
    *,
    listen: str,
    memory: str = "256m",
    purgers: str | Sequence[str] = (),
    upstream: str | Sequence[str] = (),
    probe_host: str = "127.0.0.1",
    probe: Mapping[str, str] = PROBE,
    extra: Sequence[str] = (),
) -> list[str]:
    """Write ``backends.vcl`` into ``workdir`` and return the varnishd command (foreground).

    Run as root, varnishd hands its cache process to an unprivileged user, which must be
    able to read the folder: it is made readable by all (it holds no secret).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    workdir.chmod(0o755)
    vcl_dir = workdir / "vcl"
    vcl_dir.mkdir(exist_ok=True)
    vcl_dir.chmod(0o755)
    (vcl_dir / "backends.vcl").write_text(
        backends_vcl(
            backends, purgers=purgers, upstream=upstream, probe_host=probe_host, probe=probe
        )
    )
    return [
        varnishd(),
        "-F",
        "-n", str(workdir / "instance"),
        "-a", listen,
        "-f", str(SITE_VCL),
        "-p", f"vcl_path={vcl_dir}:{HERE}:/etc/varnish:/usr/share/varnish/vcl",
        "-s", f"malloc,{memory}",
        *extra,
    ]  # fmt: skip


def main(environ: Mapping[str, str] = os.environ) -> int:
    try:
        command = prepare(
            Path(environ.get("VARNISH_WORKDIR") or ROOT / "var" / "varnish"),
            parse_backends(environ.get("VARNISH_BACKENDS", "127.0.0.1:8000")),
            listen=environ.get("VARNISH_LISTEN", ":6081"),
            memory=environ.get("VARNISH_MEMORY", "256m"),
            purgers=environ.get("VARNISH_PURGERS", ""),
            upstream=environ.get("VARNISH_UPSTREAM", ""),
            probe_host=environ.get("VARNISH_PROBE_HOST", "127.0.0.1"),
        )
    except (ValueError, FileNotFoundError) as error:
        print(error, file=sys.stderr)
        return 2
    print("Running:", " ".join(command), flush=True)
    os.execv(command[0], command)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
