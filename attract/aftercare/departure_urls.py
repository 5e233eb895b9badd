"""The departure, exit survey, repeat purchase and testimonial pages, under /care/ (added to
aftercare/urls.py with one line, beside the care pages)."""

from django.urls import path

from attract.aftercare import departure_views, survey_views

departure_urlpatterns = [
    path("care/departures/", departure_views.why_they_leave, name="departures"),
    path(
        "care/departures/new/<int:company_pk>/",
        departure_views.departure_create,
        name="departure_create",
    ),
    path("care/departures/<int:pk>/", departure_views.departure_detail, name="departure_detail"),
    path("care/departures/<int:pk>/edit/", departure_views.departure_edit, name="departure_edit"),
    path(
        "care/departures/<int:pk>/survey/",
        departure_views.survey_link_create,
        name="survey_link_create",
    ),
    path("care/survey/thanks/", survey_views.survey_thanks, name="survey_thanks"),
    path("care/survey/<str:token>/", survey_views.survey, name="survey"),
]
