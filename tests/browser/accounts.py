"""Signing a browser in as an account, through Django's own session, without the login form."""

from django.conf import settings
from django.test import Client


def sign_in(target, live_server, user) -> None:
    """Give ``target`` (a Playwright page or browser context) ``user``'s session cookie."""
    client = Client()
    client.force_login(user)
    context = getattr(target, "context", target)
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])  # fmt: skip
