"""Running import_articles and reading what it wrote, for the importer and exporter tests."""

import io
import json
from pathlib import Path

from django.core.management import call_command

from interviews.models import Interview

REFERENCE_SLUG = "alison-klayman-on-filming-ai-weiwei"
CONTENT = ["cms.image", "taggit.tag", "films", "interviews", "blog"]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> list[dict]:
    out = io.StringIO()
    call_command("dumpdata", *CONTENT, natural_foreign=True, natural_primary=True, stdout=out)
    return json.loads(out.getvalue())


def stored_files(settings_) -> set[str]:
    """Every file and folder under MEDIA_ROOT."""
    root = Path(settings_.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def interview_structure(interview: Interview) -> dict:
    return {
        "title": interview.title,
        "posted": interview.publish_at.date() if interview.publish_at else None,
        "intro": interview.intro,
        "pairs": [(p.sort_order, p.question, p.answer, p.anchor) for p in interview.pairs.all()],
        "figures": [
            # Not the alt text: the demo's pictures are art made for it, described as such.
            (f.pair.sort_order if f.pair else 0, f.display_caption)
            for f in interview.figures.all()
        ],
    }
