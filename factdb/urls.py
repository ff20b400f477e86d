"""Top-level URLs: the admin for editors (the API and public pages come later)."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "FactDB"
admin.site.site_title = "FactDB admin"
admin.site.index_title = "Claims, statements and their evidence"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
