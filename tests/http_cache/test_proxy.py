"""The viewer's address behind Varnish: X-Forwarded-For is believed only from a trusted proxy.

Sign-in lockouts (django-axes) and the outreach forms' limits count by that address, so
behind a proxy they must see viewers, not the proxy, and a client talking to the app
directly must not escape them with a forged header.
"""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from config.proxy import parse_networks, viewer_address
from outreach.host_requests import HostRequest
from tests.factories import EDITOR_PASSWORD, make_editor
from tests.outreach.test_host_requests import form_data

VARNISH = "127.0.0.1"
TRUSTED = parse_networks(["127.0.0.1", "10.0.0.0/8"])

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("peer", "forwarded", "viewer"),
    [
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # untrusted peer: header ignored
        (VARNISH, "198.51.100.1", "198.51.100.1"),
        (VARNISH, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # forged left part ignored
        (VARNISH, "198.51.100.1, 10.0.0.7", "198.51.100.1"),  # past a trusted balancer
        (VARNISH, "10.0.0.8, 10.0.0.7", "10.0.0.8"),  # all trusted: the farthest
        (VARNISH, "", VARNISH),
        (VARNISH, "garbage, 10.0.0.7", "10.0.0.7"),  # walk stops at a non-address
        (VARNISH, "2001:db8::1", "2001:db8::1"),
        ("::ffff:127.0.0.1", "198.51.100.1", "198.51.100.1"),  # IPv4-mapped peer
    ],
)
def test_the_viewer_is_the_rightmost_untrusted_address(peer, forwarded, viewer):
    assert viewer_address(peer, forwarded, TRUSTED) == viewer


def test_a_bad_trusted_proxy_setting_is_a_clear_error():
    with pytest.raises(ImproperlyConfigured, match="'10.0.0.300'"):
        parse_networks(["10.0.0.300"])


def sign_in_fails(client, username: str, address: str, forwarded: str | None = None) -> int:
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    data = {"username": username, "password": "wrong"}
    return client.post("/admin/login/", data, **extra).status_code


@override_settings(CMS_TRUSTED_PROXIES=[VARNISH])
def test_sign_in_lockout_counts_the_viewer_behind_varnish(client):
    editor = make_editor()
    for _ in range(5):
        sign_in_fails(client, editor.username, VARNISH, forwarded="198.51.100.1")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.1"]
    # The locked-out viewer is locked; another viewer behind the same Varnish is not.
    data = {"username": editor.username, "password": EDITOR_PASSWORD}
    locked = client.post(
        "/admin/login/", data, REMOTE_ADDR=VARNISH, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert locked.status_code == 429
    other = client.post(
        "/admin/login/", data, REMOTE_ADDR=VARNISH, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert other.status_code == 302


@override_settings(CMS_TRUSTED_PROXIES=[VARNISH])
def test_a_direct_client_cannot_dodge_the_lockout_with_a_forged_header(client):
    editor = make_editor()
    for n in range(5):
        sign_in_fails(client, editor.username, "203.0.113.5", forwarded=f"198.51.100.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert sign_in_fails(client, editor.username, "203.0.113.5", forwarded="198.51.100.99") == 429


@override_settings(CMS_TRUSTED_PROXIES=[])
def test_with_no_trusted_proxy_the_header_is_never_read(client):
    editor = make_editor()
    sign_in_fails(client, editor.username, VARNISH, forwarded="198.51.100.1")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [VARNISH]


@override_settings(
    CMS_TRUSTED_PROXIES=[VARNISH],
    OUTREACH_REQUESTS_PER_ADDRESS_PER_DAY=2,
    OUTREACH_REQUESTS_PER_EMAIL_PER_DAY=100,
)
def test_the_host_form_limit_counts_viewers_behind_varnish_not_forgers(client):
    def submit(n: int, address: str, forwarded: str) -> int:
        data = form_data(email=f"host{n}@example.org")
        return client.post(
            "/host/", data, REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert [submit(n, VARNISH, "198.51.100.1") for n in range(3)] == [302, 302, 429]
    assert submit(3, VARNISH, "198.51.100.2") == 302  # another viewer through Varnish
    # A direct client forging a new address each time is still one address.
    assert [submit(n, "203.0.113.5", f"198.51.100.{n + 10}") for n in range(4, 7)] == [
        302,
        302,
        429,
    ]
    assert HostRequest.objects.count() == 5


@override_settings(CMS_TRUSTED_PROXIES=[VARNISH])
def test_a_direct_client_cannot_claim_https(client):
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.scheme == "http"
    through_varnish = client.get("/healthz", REMOTE_ADDR=VARNISH, HTTP_X_FORWARDED_PROTO="https")
    assert through_varnish.wsgi_request.META["HTTP_X_FORWARDED_PROTO"] == "https"
