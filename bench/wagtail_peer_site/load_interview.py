"""Fill the peer with the interview bench/run.py exported from our demo (a JSON file).

    PEER_DATABASE_URL=... python load_interview.py INTERVIEW.json

Prints the page's path.
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings")
import django  # noqa: E402

django.setup()

from django.core.files.images import ImageFile  # noqa: E402
from interviewpage.models import InterviewPage  # noqa: E402
from wagtail.images.models import Image  # noqa: E402
from wagtail.models import Site  # noqa: E402

data = json.loads(open(sys.argv[1]).read())
image = None
if data.get("image"):
    with open(data["image"]["path"], "rb") as file:
        image = Image(title=data["image"]["alt"])
        image.file.save(os.path.basename(data["image"]["path"]), ImageFile(file), save=False)
        image.save()
home = Site.objects.get(is_default_site=True).root_page
page = InterviewPage(
    title=data["title"],
    slug=data["slug"],
    byline=data["byline"],
    search_description=data["description"],
    intro=data["intro"],
    hero_image=image,
    body=json.dumps(
        [{"type": "qa", "value": {"question": q, "answer": a}} for q, a in data["pairs"]]
    ),
)
home.add_child(instance=page)
page.save_revision().publish()
print(f"/{page.slug}/", end="")
