"""A faster `to_representation` for the serializers of the busiest reads.

DRF's `Serializer.to_representation` sends every field of every record through
`get_attribute` (source traversal with exception handling) and the field's
`to_representation`: for a page of 50 statements with their citations, about 7,000
calls and a third of the request's time. `PlannedRepresentation` works out once per
serializer which fields it can read directly (text, numbers and choices are the
attribute itself; a date is its ISO form; a nested serializer is called directly)
and leaves every other field to DRF, with DRF's own semantics. The output is the
same (tests/test_api.py compares both on every seed record).
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Manager
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import ManyRelatedField, PKOnlyObject, RelatedField
from rest_framework.settings import api_settings

# Fields whose representation of a model attribute is that attribute, as stored.
PLAIN_FIELDS = (
    serializers.CharField,
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.ChoiceField,
    serializers.SlugField,
    serializers.URLField,
)

# Fields left to DRF: what they read is not the attribute itself.
RELATIONAL_FIELDS = (
    RelatedField,
    ManyRelatedField,
    serializers.BaseSerializer,
    serializers.SerializerMethodField,
    serializers.HiddenField,
)

Reader = Callable[[Any], Any]


def _takes_no_arguments(function: Any) -> bool:
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return False
    return len(parameters) == 1 and parameters[0].default is inspect.Parameter.empty


def _plain(name: str) -> Reader:
    def read(instance: Any) -> Any:
        return getattr(instance, name)

    return read


def _date(name: str) -> Reader:
    def read(instance: Any) -> Any:
        value = getattr(instance, name)
        return value.isoformat() if value else None

    return read


def _field(name: str, field: Any) -> Reader:
    """Any other field of a plain attribute, or a nested serializer: its own
    conversion, without DRF's attribute lookup."""
    represent = field.to_representation

    def read(instance: Any) -> Any:
        value = getattr(instance, name)
        return None if value is None else represent(value)

    return read


def _method(name: str, field: Any) -> Reader:
    """A model method without arguments (`__str__`), called as DRF would."""
    represent = field.to_representation

    def read(instance: Any) -> Any:
        value = getattr(instance, name)()
        return None if value is None else represent(value)

    return read


def _datetime(name: str) -> Reader:
    """DRF's ISO 8601 with `Z` for UTC, in the time zone current when the plan is
    made (one request): DRF looks the zone up again for every value."""
    zone = timezone.get_current_timezone()

    def read(instance: Any) -> Any:
        value = getattr(instance, name)
        if not value:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value, zone)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return read


def _many(name: str, child: Any) -> Reader:
    represent = child.to_representation

    def read(instance: Any) -> Any:
        value = getattr(instance, name)
        items = value.all() if isinstance(value, Manager) else value
        return [represent(item) for item in items]

    return read


class PlannedRepresentation:
    """Mixin for a ModelSerializer whose reads are hot (see the module docstring).
    Set `planned = False` on the class to get DRF's path, as the tests do."""

    planned = True

    def get_fields(self) -> dict[str, Any]:
        """Copies of the fields built for the first instance of the class:
        ModelSerializer builds them from the model's options for every instance,
        which is a third of the time of a page's serializers."""
        if not self.planned:
            return super().get_fields()
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)

    @cached_property
    def _plan(self) -> list[tuple[str, Reader | None, Any]]:
        model = self.Meta.model
        plan = []
        for field in self._readable_fields:
            plan.append((field.field_name, self._reader(field, model), field))
        return plan

    @staticmethod
    def _reader(field: Any, model: type) -> Reader | None:
        attrs = getattr(field, "source_attrs", None)
        if not attrs or len(attrs) != 1:
            return None  # "*", or a dotted source: DRF's traversal
        name = attrs[0]
        attribute = getattr(model, name, None)
        if callable(attribute):
            if type(field) in PLAIN_FIELDS and _takes_no_arguments(attribute):
                return _method(name, field)
            return None
        if type(field) in PLAIN_FIELDS or (
            type(field) is serializers.BigIntegerField
            and not getattr(
                field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING
            )
        ):
            return _plain(name)
        if type(field) is serializers.DateField and (
            getattr(field, "format", api_settings.DATE_FORMAT) == ISO_8601
        ):
            return _date(name)
        if (
            type(field) is serializers.DateTimeField
            and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
            and not hasattr(field, "timezone")
            and settings.USE_TZ
        ):
            return _datetime(name)
        if isinstance(field, PlannedRepresentation):
            return _field(name, field)
        if isinstance(field, serializers.ListSerializer) and isinstance(
            field.child, PlannedRepresentation
        ):
            return _many(name, field.child)
        if not isinstance(field, RELATIONAL_FIELDS):
            return _field(name, field)
        return None

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if not self.planned:
            return super().to_representation(instance)
        representation = {}
        for name, read, field in self._plan:
            if read is not None:
                representation[name] = read(instance)
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            # As DRF: a related object known only by its key is None when the key is.
            value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            representation[name] = (
                None if value is None else field.to_representation(attribute)
            )
        return representation
