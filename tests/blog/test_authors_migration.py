"""Migration 0007 carries film people's names into bylines, and back, losing none."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("blog", "0006_publish_and_approve_permissions")]
AFTER = [("blog", "0007_post_authors_are_staff_or_bylines")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_authors_names_become_bylines_and_come_back():
    old = migrate(BEFORE)
    Person, Post = old.get_model("films", "Person"), old.get_model("blog", "Post")
    signed = Post.objects.create(title="Signed", slug="signed", status="draft")
    unsigned = Post.objects.create(title="Unsigned", slug="unsigned", status="draft")
    zoe = Person.objects.create(name="Zoe Zed", slug="zoe")
    ann = Person.objects.create(name="Ann Abbott", slug="ann")
    signed.authors.add(zoe)
    signed.authors.add(ann)  # added second: printed second

    new = migrate(AFTER)
    Post = new.get_model("blog", "Post")
    assert Post.objects.get(slug="signed").bylines == "Zoe Zed\nAnn Abbott"
    assert Post.objects.get(slug="unsigned").bylines == ""
    User = new.get_model("auth", "User")
    staff = User.objects.create(username="kim", first_name="Kim", last_name="Lee", is_staff=True)
    Post.objects.get(slug="unsigned").authors.add(staff)
    Post.objects.filter(slug="signed").update(bylines="Zoe Zed\nAnn Abbott\nNew Guest")

    old = migrate(BEFORE)
    Person, Post = old.get_model("films", "Person"), old.get_model("blog", "Post")
    signed = Post.objects.get(slug="signed")
    assert sorted(p.name for p in signed.authors.all()) == ["Ann Abbott", "New Guest", "Zoe Zed"]
    assert {p.slug for p in signed.authors.all()} >= {"zoe", "ann"}  # the same people
    assert [p.name for p in Post.objects.get(pk=unsigned.pk).authors.all()] == ["Kim Lee"]
    assert Person.objects.count() == 4  # Zoe, Ann, New Guest, Kim Lee

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # as the other tests expect it
