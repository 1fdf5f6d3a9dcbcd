"""Each app in its layer, in templates too: import-linter checks the Python (``make test``)."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.template.backends.django import get_installed_libraries

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
# Each layer names one app, or independent apps side by side ("interviews | outreach").
LAYER_OF = {
    app.strip(): height
    for height, layer in enumerate(
        next(c for c in CONTRACTS["contracts"] if c["type"] == "layers")["layers"]
    )
    for app in layer.split("|")
}
LAYERS = list(LAYER_OF)
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
URL_NAMESPACE = re.compile(r"""{%\s*url\s+['"]([a-z_]+):""")


def owning_app(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in LAYERS else None


def below_or_same(app: str, other: str) -> bool:
    """Whether ``app`` may use ``other``: itself, or an app in a lower layer (not a sibling)."""
    return other == app or LAYER_OF[other] > LAYER_OF[app]


def templates_of(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app / "templates").rglob("*") if p.is_file())


@pytest.mark.parametrize("app", LAYERS)
def test_templates_load_only_tags_of_their_own_layer_or_below(app):
    libraries = {name: owning_app(module) for name, module in get_installed_libraries().items()}
    wrong = []
    for template in templates_of(app):
        for names in LOAD.findall(template.read_text()):
            for name in names.split():
                owner = libraries.get(name)
                if owner is not None and not below_or_same(app, owner):
                    wrong.append(f"{template.relative_to(ROOT)} loads {name} ({owner})")
    assert wrong == []


@pytest.mark.parametrize("app", LAYERS)
def test_templates_link_only_to_pages_of_their_own_layer_or_below(app):
    wrong = []
    for template in templates_of(app):
        for namespace in URL_NAMESPACE.findall(template.read_text()):
            if namespace in LAYERS and not below_or_same(app, namespace):
                wrong.append(f"{template.relative_to(ROOT)} links to {namespace}:…")
    assert wrong == []


def test_the_template_check_sees_a_wrong_way_load():
    """The check above would catch the film page loading the interviews' tags."""
    libraries = {name: owning_app(module) for name, module in get_installed_libraries().items()}
    assert libraries["interview_tags"] == "interviews"
    assert not below_or_same("films", libraries["interview_tags"])
    assert not below_or_same("outreach", "interviews")  # siblings in one layer


def test_the_import_contracts_hold():
    """The same contracts `make test` runs: a wrong-way import fails the suite too."""
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
