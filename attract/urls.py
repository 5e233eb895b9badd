from django.urls import include, path

from attract.api.api import api

urlpatterns = [
    path("", include("attract.web.urls")),
    path("", include("attract.accounts.urls")),
    path("", include("attract.jobs.urls")),
    path("", include("attract.people.urls")),
    path("", include("attract.pipeline.urls")),
    path("", include("attract.attraction.urls")),
    path("", include("attract.transfer.urls")),
    path("engagement/", include("attract.engagement.urls")),
    path("", include("attract.partners.urls")),
    path("", include("attract.aftercare.urls")),
    path("", include("attract.reports.urls")),
    path("", include("attract.webhooks.urls")),
    path("", include("attract.mail.urls")),
    path("", include("attract.mail.inbound_urls")),
    path("api/v1/", api.urls),
]

handler403 = "attract.web.views.permission_denied"
handler404 = "attract.web.views.page_not_found"
handler500 = "attract.web.views.server_error"
