"""What every model shares: timestamps, validators, who may see drafts."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.validators import RegexValidator
from django.db import models


def can_see_drafts(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Editors (who may change statements) see drafts; readers see published ones."""
    return user.is_authenticated and user.has_perm("claims.change_statement")


wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q148."
)
country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", "Use the two-letter ISO 3166-1 code in capitals, e.g. CN."
)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
