"""Find each page type's URL on the current database and count its queries (run by run.py).

Prints JSON: {"pages": {name: {"url": ..., "queries": n}}, "static": url}.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_PAGE_CACHE"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.templatetags.static import static as static_url  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from films.models import Screening  # noqa: E402
from tests.demo_pages import DEMO_PAGES  # noqa: E402

PAGES = {
    **{name: url for name, url in DEMO_PAGES.items() if name != "past-screenings"},
    "screening": Screening.objects.get(venue__contains="Independent Lens").get_absolute_url(),
    "search": "/search/?q=courage",
    "sitemap": "/sitemap-interviews.xml",
    "feed": "/interviews/feed/",
}

client = Client(HTTP_HOST="127.0.0.1")
result = {}
for name, url in PAGES.items():
    client.get(url)  # renditions made
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    result[name] = {"url": url, "queries": len(queries), "bytes": len(response.content)}
# Pages carry the stylesheet inline (cms.stylesheet); the error pages still link the file.
static = static_url("css/site.css")
print(json.dumps({"pages": result, "static": static}))
