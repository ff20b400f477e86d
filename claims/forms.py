"""Admin forms around quoting: `Citation.clean()` locates a pasted quote and
`Source.clean()` guards cited texts; these forms only keep browser round trips and
stale hints from getting in their way."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from simple_history.models import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from . import quotes
from .models import Citation, Source, StaleVersionError

POSITION_HINTS = ("start", "prefix", "suffix")
ALREADY_CITED = (
    "This passage is already cited by this statement (offsets {start}\u2013{end})."
)


class PastedTextField(forms.CharField):
    """A quote, prefix or suffix: sent back with other whitespace, quote marks or
    dashes (a browser sends CRLF from a textarea and drops the line breaks of a text
    input; the field strips), it is the same passage, not an edit."""

    def has_changed(self, initial: Any, data: Any) -> bool:
        return _without_space(initial or "") != _without_space(
            self.to_python(data) or ""
        )


class VersionedModelForm(forms.ModelForm):
    """Carries the version of the record the editor opened, and refuses the save
    when someone else saved a newer one meanwhile, saying what they changed.

    The check here gives a form error; the model's conditional UPDATE
    (claims.models.versioning) still catches a save that races past it.
    """

    record_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self._editing_saved_record():
            self.fields["record_version"].initial = self._current_version()

    def _editing_saved_record(self) -> bool:
        if self.instance.pk is None or self.instance._state.adding:
            return False
        # Reverting a deleted record to a version from its history creates it anew.
        if hasattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME):
            return self._stored_version is not None
        return True

    def _current_version(self) -> int | None:
        # A revert from the history edits an old copy of the record: it is based
        # on the version saved now, not on the one it copies.
        if hasattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME):
            return self._stored_version
        return self.instance.version

    @cached_property
    def _stored_version(self) -> int | None:
        """The record's version in the database, read once per form (a request):
        a save since is still refused by the model's conditional UPDATE."""
        model = type(self.instance)
        return (
            model._default_manager.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self._editing_saved_record():
            return cleaned
        opened = cleaned.get("record_version")
        if opened is None:
            raise ValidationError(
                "This form does not say which version of the record it edits; "
                "reload the page and make your changes again.",
                code="missing_version",
            )
        # An inline row left as it was is not saved, so it cannot overwrite.
        if self.has_changed():
            current = self._stored_version
            if current != opened:
                error = StaleVersionError(
                    type(self.instance), self.instance.pk, opened, current
                )
                raise ValidationError(str(error), code="stale_version")
        # The save's conditional UPDATE checks against the version the editor saw.
        self.instance.version = opened
        return cleaned


class SourceForm(VersionedModelForm):
    """Takes the text back exactly as stored: citations point at offsets in it."""

    class Meta:
        model = Source
        fields = ("text",)  # the admin's fieldsets add the others

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            # A stripped leading space or trailing line break would move or break
            # every citation.
            self.fields["text"].strip = False

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        # Browsers send a textarea's line breaks as CRLF whatever the stored text
        # has; a text stored with LF line breaks keeps them.
        if "\r" not in (self.initial.get("text") or ""):
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text


class CitationForm(VersionedModelForm):
    """A pasted quote plus optional hints (start, prefix, suffix) to pick between
    occurrences; the model stores the exact source passage and its offsets."""

    class Meta:
        model = Citation
        # The admin narrows these to its own layout; end and the verification
        # status are derived by Citation.clean(), never typed.
        fields = (
            "statement",
            "source",
            "quote",
            "prefix",
            "suffix",
            "start",
            "quote_kind",
            "attribution",
            "translation",
            "translator",
        )
        field_classes = dict.fromkeys(("quote", "prefix", "suffix"), PastedTextField)
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 3}),
            "translation": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "start": "Leave empty to locate the quote; give an offset only to choose "
            "between several occurrences.",
            "prefix": "Optional: text just before the quote, to choose between "
            "several occurrences.",
            "suffix": "Optional: text just after the quote, to choose between "
            "several occurrences.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "start" in self.fields:
            # Not required, so an empty start is left out of model field validation
            # and Citation.clean() can fill it (ModelForm._get_validation_exclusions).
            self.fields["start"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._drop_stale_hints(cleaned)
        if cleaned.get("translation") and not cleaned.get("translator"):
            self.add_error("translator", "Name the translator of the translation.")
        return cleaned

    def validate_unique(self) -> None:
        super().validate_unique()
        # `end` is read-only, so Django leaves the unique-passage constraint out of
        # form validation; the offsets exist once Citation.clean() has run.
        citation = self.instance
        if (
            not self.has_changed()
            or self.errors
            or citation.statement_id is None
            or citation.end is None
        ):
            return
        duplicate = (
            Citation.objects.filter(
                statement_id=citation.statement_id,
                source_id=citation.source_id,
                start=citation.start,
                end=citation.end,
            )
            .exclude(pk=citation.pk)
            .exists()
        )
        if duplicate:
            self.add_error(
                "quote", ALREADY_CITED.format(start=citation.start, end=citation.end)
            )

    def _drop_stale_hints(self, cleaned: dict[str, Any]) -> None:
        """Forget stored hints the editor did not touch once they no longer apply.

        The stored prefix and suffix are the exact context of the old passage and may
        legitimately differ after an allowed edit of the source text; the stored start
        pins the passage, so it is kept while the quote (new or not) still begins
        there and no hint was edited. Hints the editor typed always count.
        """
        edited = set(self.changed_data)
        keep_start = not edited.intersection(POSITION_HINTS) and self._begins_at(
            cleaned, cleaned.get("start")
        )
        for hint in POSITION_HINTS:
            if hint in edited or (hint == "start" and keep_start):
                continue
            if hint in cleaned:
                cleaned[hint] = None if hint == "start" else ""

    @staticmethod
    def _begins_at(cleaned: dict[str, Any], start: int | None) -> bool:
        source, quote = cleaned.get("source"), cleaned.get("quote")
        if start is None or source is None or not source.text or not quote:
            return True  # nothing to re-locate here; Citation.clean() reports it
        try:
            quotes.locate_quote(source.text, quote, start=start)
        except quotes.QuoteError:
            return False
        return True


class CitationInlineFormSet(forms.BaseInlineFormSet):
    """Refuses two new rows citing the same passage, which the database would refuse
    with an IntegrityError: the offsets are only known after Citation.clean()."""

    def clean(self) -> None:
        super().clean()
        seen: set[tuple[int, int, int]] = set()
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            citation = form.instance
            if citation.pk is None and not form.has_changed():
                continue  # an empty extra row
            passage = (citation.source_id, citation.start, citation.end)
            if passage in seen:
                form.add_error(
                    "quote",
                    ALREADY_CITED.format(start=citation.start, end=citation.end),
                )
            seen.add(passage)


def _without_space(text: str) -> str:
    return "".join(quotes.normalize(text)[0].split())
