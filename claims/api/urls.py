"""/api/v1/: the journalists' REST API."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
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
]
