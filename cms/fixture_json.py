"""JSON fixtures that load in any order.

Django's loaddata resolves a natural-key reference when it reads the record, and can only
defer nullable ones. This format reads the whole file, then hands the records to Django
parents first (by the models' dependencies), so an operator's hand-edited or merged fixture
loads whatever order its records are in. Writing is Django's own JSON serializer.
"""

from collections import defaultdict

from django.apps import apps
from django.core.serializers import json as django_json
from django.core.serializers import sort_dependencies
from django.core.serializers.base import DeserializationError

Serializer = django_json.Serializer


def model_order(records: list) -> dict[str, int]:
    """Rank of each model named in ``records``: referenced models before referring ones."""
    by_app = defaultdict(set)
    for record in records:
        try:
            model = apps.get_model(record["model"])
        except (LookupError, ValueError, KeyError, TypeError):
            continue  # reported, with its position, when the record itself is read
        by_app[model._meta.app_config].add(model)
    ordered = sort_dependencies(
        [(app, list(models)) for app, models in by_app.items()], allow_cycles=True
    )
    return {model._meta.label_lower: rank for rank, model in enumerate(ordered)}


def record_label(record) -> str:
    if not isinstance(record, dict):
        return "not an object"
    fields = record.get("fields") if isinstance(record.get("fields"), dict) else {}
    for name in ("slug", "uid", "anchor", "file", "name", "title", "question"):
        if fields.get(name):
            return f"{record.get('model')} {name}={str(fields[name])[:60]!r}"
    return str(record.get("model"))


class Deserializer(django_json.Deserializer):
    """Django's JSON deserializer, fed the records parents first, naming a record that fails."""

    def __init__(self, stream_or_string, **options):
        super().__init__(stream_or_string, **options)
        if not isinstance(self.stream, list):
            raise DeserializationError("A JSON fixture must be a list of records.")
        ranks = model_order([r for r in self.stream if isinstance(r, dict)])
        numbered = list(enumerate(self.stream, start=1))
        numbered.sort(
            key=lambda item: (
                ranks.get(str(item[1].get("model", "")).lower(), -1)
                if isinstance(item[1], dict)
                else -1
            )
        )
        self.positions = {id(record): number for number, record in numbered}
        self.stream = [record for _, record in numbered]

    def _handle_object(self, obj):
        try:
            yield from super()._handle_object(obj)
        except DeserializationError as exc:
            where = f"record {self.positions.get(id(obj), '?')} ({record_label(obj)})"
            raise DeserializationError(f"{where}: {exc}") from exc
