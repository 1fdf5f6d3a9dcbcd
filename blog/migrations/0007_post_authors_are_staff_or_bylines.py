"""A post's authors are staff accounts or guests' names, no longer film people.

The ``authors`` link to ``films.Person`` becomes a link to staff accounts; every name it
held is first written, in the order it was added, into the new ``bylines`` field, one per
line, so every byline reads as before. Going back, the names are matched to people by name
(a person is made for a name that has none) and staff authors' full names go into the
bylines first, so nothing is lost either way.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify


def carry_people_into_bylines(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    links = Post.authors.through.objects.select_related("person").order_by("post_id", "id")
    names: dict[int, list[str]] = {}
    for link in links:
        names.setdefault(link.post_id, []).append(link.person.name.strip())
    for post in Post.objects.filter(pk__in=names):
        post.bylines = "\n".join(filter(None, [post.bylines, *names[post.pk]]))
        post.save(update_fields=["bylines"])


def carry_bylines_into_people(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    Person = apps.get_model("films", "Person")
    for post in Post.objects.exclude(bylines=""):
        for name in filter(None, (line.strip() for line in post.bylines.splitlines())):
            person = Person.objects.filter(name=name).order_by("pk").first()
            if person is None:
                base = slugify(name, allow_unicode=True)[:190] or "author"
                slug, n = base, 1
                while Person.objects.filter(slug=slug).exists():
                    n += 1
                    slug = f"{base}-{n}"
                person = Person.objects.create(name=name, slug=slug)
            post.authors.add(person)
        post.bylines = ""
        post.save(update_fields=["bylines"])


def carry_staff_names_into_bylines(apps, schema_editor):
    """Going back: staff authors' full names join the bylines before their link is dropped."""
    Post = apps.get_model("blog", "Post")
    for post in Post.objects.prefetch_related("authors"):
        staff = sorted(post.authors.all(), key=lambda user: (user.last_name, user.first_name))
        names = [f"{user.first_name} {user.last_name}".strip() for user in staff]
        names = [name for name in names if name]
        if names:
            post.bylines = "\n".join(filter(None, [*names, post.bylines]))
            post.save(update_fields=["bylines"])


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0006_publish_and_approve_permissions"),
        ("films", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="bylines",
            field=models.TextField(
                blank=True,
                help_text="Authors without a staff account, such as guest writers: one name "
                "per line, as it should be printed.",
                verbose_name="guest bylines",
            ),
        ),
        migrations.RunPython(carry_people_into_bylines, carry_bylines_into_people),
        migrations.RemoveField(model_name="post", name="authors"),
        migrations.AddField(
            model_name="post",
            name="authors",
            field=models.ManyToManyField(
                blank=True,
                help_text="Staff accounts with a name. Give an account its first and last name "
                "under Users to list it here.",
                limit_choices_to=models.Q(
                    ("is_staff", True),
                    models.Q(("first_name", ""), ("last_name", ""), _negated=True),
                ),
                related_name="blog_posts",
                to=settings.AUTH_USER_MODEL,
                verbose_name="staff authors",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, carry_staff_names_into_bylines),
    ]
