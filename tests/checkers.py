"""The two outside checkers the tests run over rendered pages, written once.

``nu_errors`` runs the Nu HTML Checker (vnu.jar, from npm's vnu-jar) on the machine's Java;
``axe_violations`` injects axe-core (from npm) into a Playwright page. Each check reads the
same way wherever it runs, and a missing tool fails with the command that installs it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 A and AA, which includes the 2.0 and 2.1 rules (axe tags each rule by version).
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def nu_errors(paths: Iterable[str | Path]) -> list[str]:
    """The Nu HTML Checker's errors (and fatal errors) on these HTML files, as
    ``"name:line: message"``; warnings and info are left out.

    All the files go through one run, because starting the JVM costs seconds.
    """
    java = shutil.which("java")
    assert java, "Java is needed for the HTML checker: run `make java`"
    assert VNU.exists(), "run `make install-dev` (npm ci) for vnu-jar"
    files = [str(path) for path in paths]
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    # The messages name only the files given: the output is read the right way.
    assert {Path(m.get("url", "")).name for m in messages} <= {Path(f).name for f in files}
    return [
        f"{Path(m['url']).stem}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]


def axe_violations(page, tags: Sequence[str] = WCAG) -> list[str]:
    """axe-core's violations of these rule tags on the page as it is now, as
    ``"rule (impact): [first targets]"``.

    The page's browser context needs ``bypass_csp=True``: axe is injected as a script the
    site's Content-Security-Policy would otherwise block.
    """
    assert AXE.exists(), "run `make install-dev` (npm ci) for axe-core"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags)
    )
    assert result["passes"], page.url  # axe really ran its rules here
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
