"""The Jinja2 environment of the public pages.

The reading room renders with Jinja2, not the Django template language: a large
claim's page shows hundreds of statements, each some fifty template nodes, and
Jinja2 compiles a template to Python code where Django's language walks its nodes
one call at a time (docs/benchmarks.md has the figures). The admin keeps Django's
templates.
"""

from __future__ import annotations

from django.template.defaultfilters import capfirst, date, pluralize, time
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment, StrictUndefined


def url(name: str, *args) -> str:
    """`{{ url("public:actor", slug) }}`: Django's `{% url %}`."""
    return reverse(name, args=args)


def environment(**options) -> Environment:
    # Django's backend picks Undefined (prints nothing) or, with DEBUG on,
    # DebugUndefined (prints the tag): a misspelt name must fail the page's tests.
    options["undefined"] = StrictUndefined
    env = Environment(**options)
    env.globals.update(url=url, static=static)
    env.filters.update(capfirst=capfirst, date=date, pluralize=pluralize, time=time)
    return env
