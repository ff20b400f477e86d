"""Actors, their aliases and affiliations, and topics."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from claims.models import (
    Actor,
    ActorAlias,
    Affiliation,
    Topic,
)

from .base import TIMESTAMPS, EditorialAdmin, EditorialInlineMixin, distinct_count
from .resources import ActorResource, CsvImportExportMixin

# Actors ---------------------------------------------------------------------------


class ActorAliasInline(EditorialInlineMixin, admin.TabularInline):
    model = ActorAlias
    extra = 1


class RoleInline(EditorialInlineMixin, admin.TabularInline):
    """The roles a person held (the spokesperson of a ministry)."""

    model = Affiliation
    fk_name = "person"
    autocomplete_fields = ("organisation",)
    extra = 1
    verbose_name = "role held"
    verbose_name_plural = "roles held"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Affiliation]:
        return super().get_queryset(request).select_related("organisation")


class MemberInline(EditorialInlineMixin, admin.TabularInline):
    """The people holding a role at an organisation."""

    model = Affiliation
    fk_name = "organisation"
    autocomplete_fields = ("person",)
    extra = 1
    verbose_name = "member"
    verbose_name_plural = "members"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Affiliation]:
        return super().get_queryset(request).select_related("person")


@admin.register(Actor)
class ActorAdmin(CsvImportExportMixin, EditorialAdmin):
    resource_classes = [ActorResource]
    # Named, so that the import and export buttons extend the app's changelist.
    change_list_template = "admin/claims/change_list.html"
    ordering = ("name", "pk")
    list_display = ("name", "kind", "country", "parent", "statement_count")
    list_select_related = ("parent",)
    list_filter = ("kind", "country")
    search_fields = ("name", "aliases__name", "slug", "wikidata_id")
    search_help_text = "Search names, aliases (Beijing, OHCHR), slugs and Wikidata ids."
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "country", "parent")}),
        ("Details", {"fields": ("description", "wikidata_id", *TIMESTAMPS)}),
    )

    def get_inlines(self, request: HttpRequest, obj: Actor | None) -> list:
        # Roles are held by people and members belong to organisations: which side
        # applies depends on the saved kind, and Affiliation.clean() can only check
        # the kinds of a saved actor. A new actor gets them after its first save.
        if obj is None:
            return [ActorAliasInline]
        if obj.kind == Actor.Kind.PERSON:
            return [ActorAliasInline, RoleInline]
        return [ActorAliasInline, MemberInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Actor]:
        return (
            super()
            .get_queryset(request)
            .annotate(statement_count=distinct_count("statements"))
        )

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, obj: Actor) -> int:
        return obj.statement_count


@admin.register(ActorAlias)
class ActorAliasAdmin(EditorialAdmin):
    list_display = ("name", "actor")
    list_select_related = ("actor",)
    search_fields = ("name", "actor__name")
    search_help_text = "Search aliases and the names of their actors."
    autocomplete_fields = ("actor",)


@admin.register(Affiliation)
class AffiliationAdmin(EditorialAdmin):
    list_display = ("person", "role", "organisation", "start_date", "end_date")
    list_select_related = ("person", "organisation")
    search_fields = ("person__name", "organisation__name", "role")
    search_help_text = "Search people, organisations and roles."
    autocomplete_fields = ("person", "organisation")


@admin.register(Topic)
class TopicAdmin(EditorialAdmin):
    ordering = ("name",)
    list_display = ("name", "slug", "claim_count")
    search_fields = ("name", "slug")
    search_help_text = "Search topic names and slugs."
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return (
            super().get_queryset(request).annotate(claim_count=distinct_count("claims"))
        )

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj: Topic) -> int:
        return obj.claim_count
