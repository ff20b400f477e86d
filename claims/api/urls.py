"""/api/v1/: the journalists' REST API."""

from django.urls import path, re_path
from rest_framework import permissions
from rest_framework.routers import APIRootView, DefaultRouter

from . import views


class FactDBAPIRootView(APIRootView):
    """The index of the resources, open to anyone like the resources' reads."""

    permission_classes = [permissions.AllowAny]


router = DefaultRouter()
router.APIRootView = FactDBAPIRootView
router.register("actors", views.ActorViewSet, basename="actor")
router.register("sources", views.SourceViewSet, basename="source")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("citations", views.CitationViewSet, basename="citation")
router.register("topics", views.TopicViewSet, basename="topic")

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    # Before the router: "export" would otherwise be read as a citation id.
    path(
        "citations/export/",
        views.CitationExportView.as_view(),
        name="citation-export",
    ),
    path(
        "claims/<slug:slug>/dossier/",
        views.ClaimDossierView.as_view(),
        name="claim-dossier",
    ),
    *router.urls,
    # Last: whatever else ends in a slash is a JSON 404 (without the slash,
    # APPEND_SLASH redirects here first).
    re_path(r"^.*/$", views.NotFoundView.as_view(), name="not-found"),
]
