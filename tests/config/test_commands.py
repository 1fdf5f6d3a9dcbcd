"""The commands `make run` uses: load_demo and ensure_editor, each safe to run twice."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from interviews.models import QuestionAnswer


def run(name: str, *args) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    return next(line.split(": ", 1)[1] for line in output.splitlines() if "password:" in line)


def sign_in_request():
    """Sign-in goes through django-axes, which needs the request it checks."""
    return RequestFactory().post("/admin/login/")


@pytest.mark.django_db
def test_ensure_editor_creates_a_staff_editor_that_can_log_in():
    output = run("ensure_editor")
    user = get_user_model().objects.get(username="editor")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert (
        authenticate(sign_in_request(), username="editor", password=printed_password(output))
        == user
    )


@pytest.mark.django_db
def test_ensure_editor_twice_keeps_one_account_with_the_latest_password():
    run("ensure_editor")
    second = run("ensure_editor")
    assert get_user_model().objects.filter(username="editor").count() == 1
    assert (
        authenticate(sign_in_request(), username="editor", password=printed_password(second))
        is not None
    )


@pytest.mark.django_db
def test_ensure_editor_refuses_to_touch_a_superuser():
    get_user_model().objects.create_superuser("admin", password="x-long-password")
    with pytest.raises(CommandError, match="superuser"):
        run("ensure_editor", "--username", "admin")


@pytest.mark.django_db
def test_load_demo_copies_photos_once(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    assert "10 photo(s) copied" in run("load_demo")
    assert (tmp_path / "demo" / "klayman-with-ai-weiwei.jpg").stat().st_size > 10_000
    assert "0 photo(s) copied" in run("load_demo")
    assert QuestionAnswer.objects.count() == 13
