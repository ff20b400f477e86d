"""Bulk CSV export and import of actors and sources from their changelists, with
django-import-export: the Resource classes (the columns) and the admin mixin.

An import is all or nothing. Every row goes through the model's full_clean() (the
choices, validators and clean() rules, such as Source.clean() refusing a text
change that breaks a citation) and saves one by one through save(), so each
change leaves its history row; any bad row rolls the whole file back, in the
preview and again in the confirmed import.

Cells are written spreadsheet-safe (claims.exports.csv's rule against formula
injection) and read back exactly, so an exported file imports unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldError, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ImportForm
from import_export.results import Result
from import_export.tmp_storages import CacheStorage

from claims.exports.csv import neutralised
from claims.models import Actor, ActorAlias, Source, VersionedModel, changes_since

ALIAS_SEPARATOR = "|"


def spreadsheet_safe(value: str) -> str:
    """The cell for `value`: neutralised like our CSV exports (a leading
    apostrophe before = + - @ ...), and also when the value already starts with
    apostrophes before such a character, so that `as_imported` is its exact
    inverse."""
    bare = value.lstrip("'")
    return f"'{value}" if neutralised(bare) != bare else value


def as_imported(cell: str) -> str:
    """The value of a cell written by `spreadsheet_safe` (a cell a person typed
    without the apostrophe reads as it is)."""
    bare = cell.lstrip("'")
    return cell[1:] if cell.startswith("'") and neutralised(bare) != bare else cell


class SpreadsheetText(widgets.CharWidget):
    def render(self, value, obj=None, **kwargs) -> str:
        return spreadsheet_safe(super().render(value, obj, **kwargs) or "")

    def clean(self, value, row=None, **kwargs) -> str:
        return as_imported(super().clean(value, row, **kwargs))


class ActorBySlug(widgets.ForeignKeyWidget):
    """An actor column holding its slug; an unknown slug is an error of the column."""

    def __init__(self) -> None:
        super().__init__(Actor, field="slug")

    def clean(self, value, row=None, **kwargs) -> Actor | None:
        slug = as_imported(str(value or "").strip())
        if not slug:
            return None
        try:
            return super().clean(slug, row, **kwargs)
        except Actor.DoesNotExist:
            # A ValueError is reported on this column of the row.
            raise ValueError(f"No actor has the slug \u201c{slug}\u201d.") from None

    def render(self, value, obj=None, **kwargs) -> str:
        return spreadsheet_safe(super().render(value, obj, **kwargs) or "")


class EditorialResource(resources.ModelResource):
    """What both resources share: spreadsheet-safe text columns, full_clean() of
    every row, unchanged rows skipped (no save, no history row), saves one by one
    through save() (never bulk: no history, no clean rules), and refusals of
    columns it does not know, which would otherwise be ignored silently, and of
    changes to a record saved since the file was exported (its version column),
    which would otherwise undo that save."""

    version = fields.Field(
        attribute="version",
        column_name="version",
        widget=widgets.IntegerWidget(),
        readonly=True,
    )

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        # SlugField and URLField are CharFields.
        "CharField": SpreadsheetText,
        "TextField": SpreadsheetText,
    }

    def before_import(self, dataset, **kwargs) -> None:
        with_nul = nul_cells(dataset)
        if with_nul:
            # PostgreSQL refuses NUL in text (SQLite would store it): refused here,
            # the whole file, before any row is read into a record.
            raise ValueError(
                f"NUL characters are not text: {'; '.join(with_nul)}. "
                "Remove them and import the file again."
            )
        columns = [field.column_name for field in self.get_import_fields()]
        unknown = [header for header in dataset.headers or [] if header not in columns]
        if unknown:
            raise ValueError(
                f"Unknown column(s): {', '.join(unknown)}. "
                f"The columns are: {', '.join(columns)}."
            )

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if self.row_unchanged(instance, original, row, import_validation_errors):
            return True
        if original.pk is not None and not import_validation_errors:
            refuse_stale_row(original, row)
        return False

    def row_unchanged(self, instance, original, row, import_validation_errors) -> bool:
        return super().skip_row(instance, original, row, import_validation_errors)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        set_history_attribution(instance, **kwargs)


NUL_CELLS_NAMED = 10
"""The most cells with NUL characters an import error lists."""


def nul_cells(dataset) -> list[str]:
    """Where the file has NUL characters: "row 2, column text" (1 is the row after
    the header), or the header's columns by position."""
    headers = [str(header) for header in dataset.headers or []]
    found = [
        f"the header, column {number}"
        for number, header in enumerate(headers, start=1)
        if "\x00" in header
    ]
    if not found:
        found = [
            f"row {number}, column {header}"
            for number, row in enumerate(dataset, start=1)
            for header, cell in zip(headers, row, strict=False)
            if isinstance(cell, str) and "\x00" in cell
        ]
    if len(found) > NUL_CELLS_NAMED:
        more = len(found) - NUL_CELLS_NAMED
        found = [*found[:NUL_CELLS_NAMED], f"and {more} more"]
    return found


def refuse_stale_row(stored: VersionedModel, row) -> None:
    """Refuse a row that would change a record saved since the file was exported
    (when the file has the version column), naming what that save changed."""
    given = str(row.get("version") or "").strip()
    if not given or given == str(stored.version):
        return
    noun = stored._meta.verbose_name
    if not given.isdigit():
        raise ValidationError({"version": f"\u201c{given}\u201d is not a version."})
    changes = changes_since(type(stored), stored.pk, int(given))
    raise ValidationError(
        {
            "version": " ".join(
                [
                    f"This {noun} was saved after the file was exported (version "
                    f"{given} in the file, {stored.version} now): export it again "
                    "and reapply your edits.",
                    *(change["text"] for change in changes),
                ]
            )
        }
    )


def set_history_attribution(instance, *, user=None, file_name=None, **kwargs) -> None:
    """Who imported the record and from which file, for its history row (the
    history middleware knows the user in a request; this also covers imports
    outside one)."""
    if user is not None:
        instance._history_user = user
    instance._change_reason = f"CSV import{f' of {file_name}' if file_name else ''}"


class ActorResource(EditorialResource):
    """Actors by slug (the import id: a row with an unknown slug adds an actor)."""

    parent = fields.Field(
        attribute="parent", column_name="parent", widget=ActorBySlug()
    )
    aliases = fields.Field(column_name="aliases", widget=SpreadsheetText())

    class Meta:
        model = Actor
        fields = (
            "slug",
            "name",
            "kind",
            "country",
            "parent",
            "wikidata_id",
            "description",
            "aliases",
            "version",
        )
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_unchanged = True
        use_bulk = False
        # Export pages through the actors, one query for a page's aliases: one
        # page for any list of actors an editor keeps.
        chunk_size = 5000

    def filter_export(self, queryset: QuerySet[Actor], **kwargs) -> QuerySet[Actor]:
        # The queryset hook before export: fetch what the columns read.
        return queryset.select_related("parent").prefetch_related("aliases")

    def dehydrate_aliases(self, actor: Actor) -> str:
        # Sorted here, not by the database: collations order "@" differently.
        names = sorted(alias.name for alias in actor.aliases.all())
        return spreadsheet_safe(ALIAS_SEPARATOR.join(names))

    def alias_names(self, row) -> list[str]:
        names = self.fields["aliases"].clean(row).split(ALIAS_SEPARATOR)
        return list(dict.fromkeys(name.strip() for name in names if name.strip()))

    def row_unchanged(self, instance, original, row, import_validation_errors) -> bool:
        # Aliases are not an attribute of the actor: compare them here.
        unchanged = super().row_unchanged(
            instance, original, row, import_validation_errors
        )
        return unchanged and (
            "aliases" not in row
            or set(self.alias_names(row))
            == {alias.name for alias in original.aliases.all()}
        )

    def after_save_instance(self, instance: Actor, row, **kwargs) -> None:
        """Make the actor's aliases those of the row (when it has the column)."""
        if "aliases" not in row:
            return
        wanted = self.alias_names(row)
        for alias in instance.aliases.all():
            if alias.name not in wanted:
                set_history_attribution(alias, **kwargs)
                alias.delete()
        stored = set(instance.aliases.values_list("name", flat=True))
        for name in wanted:
            if name in stored:
                continue
            alias = ActorAlias(actor=instance, name=name)
            try:
                alias.full_clean()
            except ValidationError as error:
                raise ValidationError(
                    {"aliases": f"\u201c{name}\u201d: {' '.join(error.messages)}"}
                ) from None
            set_history_attribution(alias, **kwargs)
            alias.save()


class SourceResource(EditorialResource):
    """Sources by id: a row with an id changes that source, a row without one adds
    a source. A URL does not identify a source: the versions of a document share
    it, and it can be corrected. A new row whose text or URL is already stored is
    refused rather than stored twice."""

    id = fields.Field(
        attribute="id", column_name="id", widget=widgets.IntegerWidget(), readonly=True
    )
    publisher = fields.Field(
        attribute="publisher", column_name="publisher", widget=ActorBySlug()
    )
    author = fields.Field(
        attribute="author", column_name="author", widget=ActorBySlug()
    )
    text_sha256 = fields.Field(
        attribute="text_sha256", column_name="text_sha256", readonly=True
    )

    class Meta:
        model = Source
        fields = (
            "id",
            "kind",
            "title",
            "publisher",
            "author",
            "byline",
            "dateline",
            "published_on",
            "language",
            "url",
            "archive_url",
            "accessed_on",
            "text",
            "text_sha256",
            "version",
        )
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        use_bulk = False

    def filter_export(self, queryset: QuerySet[Source], **kwargs) -> QuerySet[Source]:
        # The queryset hook before export: fetch what the columns read.
        return queryset.select_related("publisher", "author")

    def get_instance(self, instance_loader, row) -> Source | None:
        given = str(row.get("id") or "").strip()
        if not given:
            return None
        if not given.isdigit():
            raise ValidationError({"id": f"\u201c{given}\u201d is not a source id."})
        source = Source.objects.filter(pk=int(given)).first()
        if source is None:
            raise ValidationError(
                {
                    "id": f"No source has the id {given}; leave the id empty to add "
                    "a new source."
                }
            )
        return source

    def import_instance(self, instance: Source, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        if instance.pk is not None:
            return
        # A new row for a source already stored, found as the file import finds
        # one: by its text, or by its URL.
        held = {
            "text": Source.objects.filter(text_sha256=Source.hash_text(instance.text))
            if instance.text
            else None,
            "url": Source.objects.filter(url=instance.url) if instance.url else None,
        }
        for column, sources in held.items():
            holder = sources.order_by("pk").first() if sources is not None else None
            if holder is not None:
                raise ValidationError(
                    {
                        column: f"Source {holder.pk} already has this "
                        f"{Source._meta.get_field(column).verbose_name}: put "
                        f"{holder.pk} in the id column to change that source."
                    }
                )


class Utf8Csv(CSV):
    CONTENT_TYPE = "text/csv; charset=utf-8"


class SharedTmpStorage(CacheStorage):
    """The uploaded file between the preview and the confirmation, kept in the
    cache (the database, shared by every server) rather than one server's temporary
    folder, which the confirmation may not reach."""

    def read(self):
        data = super().read()
        if data is None:
            raise FileNotFoundError(self.name)
        return data


class CsvImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.FACTDB_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"The file has {upload.size} bytes; an import takes at most {limit} "
                "(FACTDB_IMPORT_MAX_BYTES). Split it into smaller files."
            )
        return upload


class CsvImportExportMixin(ImportExportMixin):
    """Export and import buttons on a changelist, CSV only.

    Export downloads the filtered, searched changelist at once (UTF-8 with a
    byte-order mark, as our other CSV exports, so Excel reads it right). Import
    is import-export's two steps: a preview of every row's change, then the
    confirmed import, which refuses the whole file when any row fails. Viewers
    export; importing needs the add and change permissions.
    """

    formats = [Utf8Csv]
    import_form_class = CsvImportForm
    tmp_storage_class = SharedTmpStorage
    skip_export_form = True
    to_encoding = "utf-8-sig"

    def export_action(self, request: HttpRequest):
        try:
            return super().export_action(request)
        except (IncorrectLookupParameters, FieldError) as error:
            # A filter in the URL the changelist does not offer: its page would
            # redirect too, rather than fail.
            self.message_user(
                request, f"Nothing was exported: {error}", level=messages.ERROR
            )
            return HttpResponseRedirect(self._url("changelist"))

    def process_import(self, request: HttpRequest, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # The previewed file is removed once imported: a second confirmation.
            self.message_user(
                request,
                "Nothing was imported: the previewed file is gone (it was already "
                "imported, or expired). Upload it again.",
                level=messages.ERROR,
            )
            return HttpResponseRedirect(self._url("import"))

    def has_import_permission(self, request: HttpRequest) -> bool:
        # The setting names one permission (change); an import also adds records.
        return super().has_import_permission(request) and self.has_add_permission(
            request
        )

    def get_import_data_kwargs(self, **kwargs) -> dict:
        # The confirmed import runs the rows again; if one fails now (the database
        # changed since the preview), roll back all of them rather than keep the
        # valid ones, which is import-export's default.
        return {
            **super().get_import_data_kwargs(**kwargs),
            "rollback_on_validation_errors": True,
        }

    def process_result(self, result: Result, request: HttpRequest):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        self.message_user(
            request,
            "Nothing was imported: " + " ".join(describe_errors(result)),
            level=messages.ERROR,
        )
        return HttpResponseRedirect(self._url("import"))

    def _url(self, view: str) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")


def describe_errors(result: Result) -> list[str]:
    """Each failure of an import, with its row (1 is the row after the header)."""
    described = [str(error.error) for error in result.base_errors]
    for number, errors in result.row_errors():
        described += [f"Row {number}: {error.error}" for error in errors]
    for row in result.invalid_rows:
        described += [
            f"Row {row.number}, {field}: {' '.join(messages_)}"
            for field, messages_ in row.error_dict.items()
        ]
    return described
