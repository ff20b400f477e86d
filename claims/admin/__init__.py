"""The editors' admin: every model, searchable, filterable, without N+1 queries.

Every model but the suggestions keeps its history (django-simple-history): each
change form has a History page listing who changed what and when, where an earlier
version can be opened and reverted to.

Quote rules live in the models (Citation.clean(), Source.clean()); the admin shows
their errors on the form, and saves nothing while any form or inline has one.
"""

from . import actors, sources, statements, suggestions

__all__ = ["actors", "sources", "statements", "suggestions"]
