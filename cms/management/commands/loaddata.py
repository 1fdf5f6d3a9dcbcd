"""Django's ``loaddata``, with errors that name the broken record and no traceback.

Loading stays one transaction, as in Django: a file with a broken record loads nothing.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, models

LOAD_ERRORS = (DeserializationError, DatabaseError, ObjectDoesNotExist, ValidationError,
               ValueError, TypeError, LookupError)  # fmt: skip
IDENTIFYING_FIELDS = ("slug", "uid", "anchor", "file", "name", "title", "question", "username")


def describe(deserialized) -> str:
    """The model and an identifying field of a record, the way an operator finds it in the file.

    Reads only the record's own values: after a failed save the database answers no queries.
    """
    obj = deserialized.object
    label = f"{obj._meta.label_lower} pk={obj.pk}"
    for name in IDENTIFYING_FIELDS:
        value = getattr(obj, name, None)
        if value:
            label = f"{obj._meta.label_lower} {name}={str(value)[:60]!r}"
            break
    # Records are loaded parents first, so a reference still unresolved names a missing row.
    missing = [f"{field.name}={value!r}" for field, value in deserialized.deferred_fields.items()]
    if missing:
        label += f", which refers to a record that does not exist: {', '.join(missing)}"
    return label


class Command(loaddata.Command):
    help = loaddata.Command.help + " A broken record stops the load and nothing is stored."

    def load_label(self, fixture_label: str) -> None:
        self.saving = None
        try:
            super().load_label(fixture_label)
        except CommandError:
            raise
        except LOAD_ERRORS as exc:
            message = str(exc)
            if message.startswith("Problem installing fixture"):
                message = message.split("': ", 1)[-1]
            if self.saving is not None:
                message = f"record ({describe(self.saving)}): {message}"
            raise CommandError(
                f"Fixture {fixture_label!r}, {message.rstrip('.')}. Nothing was loaded."
            ) from exc

    def save_obj(self, obj) -> bool:
        """Validate each record as a form would (choices, URLs, time zones...), then save it.

        File fields are not checked: a fixture names files, the operator copies them.
        """
        self.saving = obj
        model = obj.object
        if not obj.deferred_fields:
            files = [f.name for f in model._meta.fields if isinstance(f, models.FileField)]
            model.full_clean(exclude=files, validate_unique=False, validate_constraints=False)
        saved = super().save_obj(obj)
        self.saving = None
        return saved

    def loaddata(self, fixture_labels) -> None:
        try:
            super().loaddata(fixture_labels)
        except CommandError:
            raise
        except LOAD_ERRORS as exc:
            raise CommandError(
                f"Could not resolve a reference in {', '.join(fixture_labels)}: {exc}. "
                "Nothing was loaded."
            ) from exc
