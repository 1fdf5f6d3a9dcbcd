"""The site settings: the footer's links set by an editor, checked, cached and shown."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import include, path, reverse

from cms.page_cache import cache as page_cache
from cms.page_cache.keys import recording
from cms.page_cache.signals import public_content_models
from cms.site_settings import SiteSettings, SocialLink
from tests.admin_forms import change_form_data, inline_management
from tests.factories import make_editor

pytestmark = pytest.mark.django_db

FOOTER = "{% load site_settings %}{% site_footer %}"
CHANGE_URL = "/admin/cms/sitesettings/1/change/"
LINKS = "social_links"  # the inline's formset prefix


def footer_page(request: HttpRequest) -> HttpResponse:
    """A page showing only the footer, as every page of the site will."""
    return HttpResponse(engines["django"].from_string(FOOTER).render(request=request))


# This module is the URLconf of the page-cache tests: the site's pages and the footer page.
urlpatterns = [path("footer-page/", footer_page), path("", include("config.urls"))]


def render_footer(**context) -> str:
    request = RequestFactory().get("/")
    return engines["django"].from_string(FOOTER).render(context, request=request)


def settings_with(**fields) -> SiteSettings:
    row = SiteSettings.load()
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    return row


def link(row: SiteSettings, network: str, url: str, order: int) -> SocialLink:
    return SocialLink.objects.create(site_settings=row, network=network, url=url, sort_order=order)


# The model


def test_load_makes_the_one_row_once_with_the_site_name():
    first = SiteSettings.load()
    assert SiteSettings.load() == first and first.pk == SiteSettings.SINGLETON_PK
    assert first.organisation_name == settings.SITE_NAME
    assert first.donate_label == "Donate"
    SiteSettings(organisation_name="Another").save()  # a second "row" is the same row
    assert SiteSettings.objects.count() == 1
    assert SiteSettings.load().organisation_name == "Another"


def test_empty_name_and_label_fall_back_to_the_site_name_and_donate():
    row = SiteSettings(organisation_name="", donate_label="")
    assert row.display_name == settings.SITE_NAME and row.donate_text == "Donate"


GOOD_LINKS = [
    "https://www.pbs.org/independentlens/about/",
    "http://example.org/privacy",
    "/about/",
    "/accessibility/?lang=en#contrast",
]
BAD_LINKS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "/\\evil.example/",
    "/about us/",
    "about/",
    "../privacy",
    "www.pbs.org/about/",
    "ftp://example.org/file",
    "mailto:outreach@example.org",  # an e-mail link only for the contact
    "https://",
]


@pytest.mark.parametrize("value", GOOD_LINKS)
@pytest.mark.parametrize(
    "field", ["about_url", "contact_url", "privacy_url", "accessibility_url", "newsletter_url",
              "donate_url"],
)  # fmt: skip
def test_links_take_web_addresses_and_site_paths(field, value):
    SiteSettings(**{field: value}).full_clean()


@pytest.mark.parametrize("value", BAD_LINKS)
@pytest.mark.parametrize("field", ["about_url", "privacy_url", "donate_url"])
def test_links_refuse_anything_else_with_a_clear_error(field, value):
    with pytest.raises(ValidationError) as error:
        SiteSettings(**{field: value}).full_clean()
    message = " ".join(error.value.message_dict[field])
    assert "https://" in message or "“/”" in message


@pytest.mark.parametrize(
    "value", ["mailto:outreach@example.org", "MAILTO:outreach@example.org?subject=Screening"]
)
def test_the_contact_may_be_an_email_link(value):
    SiteSettings(contact_url=value).full_clean()


@pytest.mark.parametrize("value", ["mailto:", "mailto:not-an-address", "mailto:a@b@c.org"])
def test_a_broken_email_link_is_named(value):
    with pytest.raises(ValidationError) as error:
        SiteSettings(contact_url=value).full_clean()
    assert "mailto:name@example.org" in error.value.message_dict["contact_url"][0]


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "/profile/", "bsky.app/profile/x", "ftp://example.org/"]
)
def test_a_social_link_is_a_full_web_address(value):
    row = SiteSettings.load()
    with pytest.raises(ValidationError) as error:
        SocialLink(site_settings=row, network="bluesky", url=value).full_clean()
    assert "url" in error.value.message_dict


def test_a_social_link_must_name_a_known_network():
    row = SiteSettings.load()
    with pytest.raises(ValidationError) as error:
        SocialLink(site_settings=row, network="myspace", url="https://example.org/").full_clean()
    assert "network" in error.value.message_dict


def test_both_are_public_content_the_page_cache_follows():
    assert {SiteSettings, SocialLink} <= set(public_content_models())


# The admin, as an editor who is not a superuser


def test_an_editor_finds_site_settings_on_the_admin_index(editor_client):
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "Site settings" in page and "/admin/cms/sitesettings/" in page


def test_the_list_opens_the_one_row(editor_client):
    response = editor_client.get(reverse("admin:cms_sitesettings_changelist"))
    assert response.status_code == 302 and response["Location"] == CHANGE_URL
    assert SiteSettings.objects.count() == 1


def test_an_editor_sets_the_links_and_orders_social_links(editor_client):
    form = editor_client.get(CHANGE_URL)
    assert form.status_code == 200
    data = change_form_data(form) | {
        "about_url": "/about/",
        "contact_url": "mailto:outreach@example.org",
        "donate_url": "https://www.pbs.org/donate/",
        "donate_label": "Become a member",
        **inline_management(LINKS, 2),
        f"{LINKS}-0-network": "mastodon",
        f"{LINKS}-0-url": "https://mastodon.social/@series",
        f"{LINKS}-0-sort_order": "2",
        f"{LINKS}-1-network": "bluesky",
        f"{LINKS}-1-url": "bsky.app/profile/series.example",  # pasted without a scheme
        f"{LINKS}-1-sort_order": "1",
    }
    response = editor_client.post(CHANGE_URL, data)
    assert response.status_code == 302 and response["Location"] == CHANGE_URL
    row = SiteSettings.load()
    assert (row.about_url, row.contact_url) == ("/about/", "mailto:outreach@example.org")
    assert row.donate_text == "Become a member"
    assert [(s.network, s.url) for s in row.social_links.all()] == [
        ("bluesky", "https://bsky.app/profile/series.example"),
        ("mastodon", "https://mastodon.social/@series"),
    ]


def test_bad_input_is_named_and_leaves_stored_data_unchanged(editor_client):
    row = settings_with(about_url="/about/", donate_url="https://www.pbs.org/donate/")
    link(row, "instagram", "https://www.instagram.com/series/", 1)
    before = (SiteSettings.objects.values().get(), list(SocialLink.objects.values()))
    data = change_form_data(editor_client.get(CHANGE_URL)) | {
        "about_url": "javascript:alert(document.cookie)",
        "privacy_url": "/privacy/",  # a good change beside a bad one is not saved either
        f"{LINKS}-0-url": "https://www.instagram.com/renamed/",
    }
    response = editor_client.post(CHANGE_URL, data)
    assert response.status_code == 200
    assert "Enter a full address starting with https://" in response.content.decode()
    data |= {"about_url": "/about/", f"{LINKS}-0-url": "data:text/html,hi"}
    response = editor_client.post(CHANGE_URL, data)
    assert (
        response.status_code == 200 and response.context["inline_admin_formsets"][0].formset.errors
    )
    assert (SiteSettings.objects.values().get(), list(SocialLink.objects.values())) == before


def test_there_is_no_second_row_to_add_and_none_to_delete(editor_client):
    SiteSettings.load()
    assert editor_client.get(reverse("admin:cms_sitesettings_add")).status_code == 403
    delete = reverse("admin:cms_sitesettings_delete", args=[1])
    assert editor_client.get(delete).status_code == 403
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert SiteSettings.objects.count() == 1


def test_staff_without_the_permission_are_refused(client):
    client.force_login(get_user_model().objects.create_user("plain", is_staff=True))
    assert client.get(reverse("admin:cms_sitesettings_changelist")).status_code == 403
    assert client.get(CHANGE_URL).status_code == 403
    assert not SiteSettings.objects.exists()  # refused before the row is made


# The footer


def test_the_footer_reads_settings_and_links_in_two_queries(django_assert_num_queries):
    row = settings_with(about_url="/about/")
    for order, network in enumerate(["bluesky", "instagram", "youtube"], start=1):
        link(row, network, f"https://{network}.example/series", order)
    request = RequestFactory().get("/")
    template = engines["django"].from_string(
        "{% load site_settings %}{% get_site_settings as site %}{{ site.display_name }}"
        "{% site_footer %}"
    )
    with django_assert_num_queries(2):  # the row, its social links; once per request
        html = template.render(request=request)
    assert html.count("site-footer__social-link--") == 3


def test_before_any_save_the_footer_shows_defaults_and_writes_nothing(
    django_assert_num_queries,
):
    with django_assert_num_queries(1):
        html = render_footer()
    assert settings.SITE_NAME in html and settings.SITE_TAGLINE in html
    assert not SiteSettings.objects.exists()


def test_the_footer_shows_only_the_links_that_are_set():
    settings_with(about_url="/about/", accessibility_url="/accessibility/",
                  donate_url="https://www.pbs.org/donate/", donate_label="Give")  # fmt: skip
    html = render_footer()
    organisation = re.search(r'<nav [^>]*aria-label="About us">(.*?)</nav>', html, re.S)
    assert re.findall(r">([^<]+)</a>", organisation.group(1)) == [
        "About", "Accessibility statement"
    ]  # fmt: skip
    assert (
        '<a class="site-footer__link site-footer__donate" href="https://www.pbs.org/donate/">Give</a>'
        in html
    )
    assert "newsletter" not in html and "Contact" not in html and "Privacy" not in html
    assert 'aria-label="Follow us"' in html and 'site-footer__social"' not in html  # no list


def test_with_nothing_set_the_footer_keeps_outreach_and_feeds():
    SiteSettings.load()
    html = render_footer()
    assert 'aria-label="About us"' not in html and ">Support<" not in html
    for name in ["outreach:host", "outreach:resources", "interviews:feed", "blog:feed-atom"]:
        assert f'href="{reverse(name)}"' in html
    assert "Host a free community screening" in html
    assert "Discussion guides and lesson plans" in html


def test_social_links_show_their_network_names_in_order_and_no_third_party_code():
    row = settings_with(newsletter_url="/newsletter/", contact_url="mailto:hi@example.org")
    link(row, "youtube", "https://www.youtube.com/@series", 2)
    link(row, "x", "https://x.com/series", 3)
    link(row, "bluesky", "https://bsky.app/profile/series", 1)
    html = render_footer()
    follow = re.search(r'<nav [^>]*aria-label="Follow us">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'rel="me">([^<]+)</a>', follow) == ["Bluesky", "YouTube", "X"]
    assert 'href="mailto:hi@example.org">Contact</a>' in html
    assert 'href="/newsletter/">Sign up for the newsletter</a>' in html
    assert "<script" not in html and "<img" not in html and "<iframe" not in html


def test_what_an_editor_writes_is_escaped():
    settings_with(organisation_name="<b>Lens</b>", about_url='/about/"onmouseover="x')
    html = render_footer()
    assert "<b>" not in html and "&lt;b&gt;Lens" in html
    assert 'href="/about/&quot;onmouseover=&quot;x"' in html


def test_the_footer_records_what_it_shows_for_the_page_cache():
    row = settings_with(about_url="/about/")
    social = link(row, "bluesky", "https://bsky.app/profile/series", 1)
    shown = {"cms.sitesettings:1", f"cms.sociallink:{social.pk}", "cms.sociallink:*"}
    with recording() as keys:
        render_footer()
    assert shown <= keys
    # Read earlier in the request (a header), the footer still names it: a part of the
    # page kept on its own records what it shows.
    template = engines["django"].from_string(
        "{% load site_settings %}{% get_site_settings as site %}"
    )
    request = RequestFactory().get("/")
    template.render(request=request)
    with recording() as kept_part:
        engines["django"].from_string(FOOTER).render(request=request)
    assert shown <= kept_part


# The page cache: an edit shows on the next anonymous view


@pytest.fixture
def footer_cache(settings):
    settings.ROOT_URLCONF = __name__
    settings.CMS_PAGE_CACHE_ENABLED = True
    caches[settings.CMS_PAGE_CACHE_ALIAS].clear()
    page_cache.cacheable_view.cache_clear()
    page_cache._down_until = 0.0
    yield
    caches[settings.CMS_PAGE_CACHE_ALIAS].clear()


def cached_view(client: Client, django_assert_num_queries) -> str:
    """The footer page, viewed until it is a cache hit; the hit costs its one query."""
    first = client.get("/footer-page/")
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(1):  # the tokens of what it shows, as for any page
        second = client.get("/footer-page/")
    assert second["X-Cache"] == "hit" and second.content == first.content
    return second.content.decode()


def test_a_saved_link_shows_on_the_next_view(footer_cache, client, django_assert_num_queries):
    row = settings_with(donate_url="https://www.pbs.org/donate/")
    social = link(row, "bluesky", "https://bsky.app/profile/old", 1)
    assert "profile/old" in cached_view(client, django_assert_num_queries)
    social.url = "https://bsky.app/profile/new"
    social.save()
    response = client.get("/footer-page/")
    assert response["X-Cache"] == "miss" and "profile/new" in response.content.decode()
    with django_assert_num_queries(1):
        assert client.get("/footer-page/")["X-Cache"] == "hit"
    row.donate_url = "/donate/"
    row.save()
    assert 'href="/donate/"' in client.get("/footer-page/").content.decode()
    social.delete()
    assert "Bluesky" not in client.get("/footer-page/").content.decode()


def test_an_edit_in_the_admin_shows_on_the_next_view(
    footer_cache, client, django_assert_num_queries
):
    SiteSettings.load()
    assert "Donate" not in cached_view(client, django_assert_num_queries)
    editor = Client()
    editor.force_login(make_editor_with_site_settings())
    data = change_form_data(editor.get(CHANGE_URL)) | {
        "donate_url": "https://www.pbs.org/donate/",
        **inline_management(LINKS, 1),
        f"{LINKS}-0-network": "threads",
        f"{LINKS}-0-url": "https://www.threads.net/@series",
        f"{LINKS}-0-sort_order": "1",
    }
    assert editor.post(CHANGE_URL, data).status_code == 302
    html = client.get("/footer-page/").content.decode()
    assert ">Donate</a>" in html and ">Threads</a>" in html


def make_editor_with_site_settings():
    """An editor; the group given this migration's permissions again, in case a flush took
    the group and ``editors_group`` rebuilt it from a list without this migration."""
    user = make_editor("footer-editor")
    import_module("cms.migrations.0014_site_settings").grant(django_apps, None)
    return get_user_model().objects.get(pk=user.pk)
