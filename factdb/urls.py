"""Top-level URLs: the public pages for readers, the admin for editors, the REST API
and its documentation."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

admin.site.site_header = "FactDB"
admin.site.site_title = "FactDB admin"
admin.site.index_title = "Claims, statements and their evidence"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("claims.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script as a file of its own: the Content Security
    # Policy allows no inline script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema"),
        name="docs",
    ),
    path("", include("claims.public.urls")),
]
