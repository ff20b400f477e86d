"""`dumpdata`'s JSON format, with times to the microsecond.

Django's own JSON serializer cuts datetimes and times to milliseconds (its encoder
follows ECMA-262), so a backup made with `dumpdata` would restore every record's
`created_at`, `updated_at` and history dates slightly changed. Registered as the
"json" format (settings.SERIALIZATION_MODULES); reading is Django's, unchanged.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as DjangoJSONSerializer

__all__ = ["Deserializer", "ExactJSONEncoder", "Serializer"]


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(DjangoJSONSerializer):
    def _init_options(self) -> None:
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
