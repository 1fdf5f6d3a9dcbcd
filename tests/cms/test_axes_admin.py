"""The sign-in lockouts' admin: its clean-up action works instead of answering 500."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.utils import timezone


@pytest.mark.django_db
def test_cleaning_up_expired_attempts_removes_only_expired_ones(client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(hours=1)
    admin_user = get_user_model().objects.create_superuser("root", "r@example.org", "pw-12345678")
    client.force_login(admin_user)
    old = AccessAttempt.objects.create(
        username="x", ip_address="192.0.2.1", failures_since_start=3, user_agent="t",
        get_data="", post_data="", http_accept="", path_info="/admin/login/",
    )  # fmt: skip
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=2))
    fresh = AccessAttempt.objects.create(
        username="y", ip_address="192.0.2.2", failures_since_start=1, user_agent="t",
        get_data="", post_data="", http_accept="", path_info="/admin/login/",
    )  # fmt: skip
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "cleanup_expired_attempts", "_selected_action": [fresh.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Cleaned up 1 expired access attempts." in response.content.decode()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["y"]
