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
        "care/departures/<int:pk>/trash/", departure_views.departure_trash, name="departure_trash"
    ),
    path(
        "care/departures/<int:pk>/restore/",
        departure_views.departure_restore,
        name="departure_restore",
    ),
    path(
        "care/departures/<int:pk>/survey/",
        departure_views.survey_link_create,
        name="survey_link_create",
    ),
    path("care/survey/thanks/", survey_views.survey_thanks, name="survey_thanks"),
    path("care/survey/<str:token>/", survey_views.survey, name="survey"),
]

from attract.aftercare import repeat_views  # noqa: E402

departure_urlpatterns += [
    path("care/repeat/", repeat_views.repeat_purchase, name="repeat"),
]

from attract.aftercare import testimonial_views as tv  # noqa: E402

departure_urlpatterns += [
    path("care/testimonials/", tv.testimonial_list, name="testimonials"),
    path("care/testimonials/new/", tv.testimonial_create, name="testimonial_create"),
    path("care/testimonials/export.csv", tv.testimonial_export, name="testimonial_export"),
    path("care/testimonials/ask/<int:company_pk>/", tv.testimonial_ask, name="testimonial_ask"),
    path("care/testimonials/<int:pk>/", tv.testimonial_detail, name="testimonial_detail"),
    path("care/testimonials/<int:pk>/edit/", tv.testimonial_edit, name="testimonial_edit"),
    path("care/testimonials/<int:pk>/publish/", tv.testimonial_publish, name="testimonial_publish"),
    path("care/testimonials/<int:pk>/print/", tv.testimonial_print, name="testimonial_print"),
    path("care/testimonials/<int:pk>/trash/", tv.testimonial_trash, name="testimonial_trash"),
    path("care/testimonials/<int:pk>/restore/", tv.testimonial_restore, name="testimonial_restore"),
    path("care/case-studies/new/", tv.case_create, name="case_create"),
    path("care/case-studies/<int:pk>/", tv.case_detail, name="case_detail"),
    path("care/case-studies/<int:pk>/edit/", tv.case_edit, name="case_edit"),
    path("care/case-studies/<int:pk>/publish/", tv.case_publish, name="case_publish"),
    path("care/case-studies/<int:pk>/print/", tv.case_print, name="case_print"),
    path("care/case-studies/<int:pk>/image/", tv.case_image, name="case_image"),
    path("care/case-studies/<int:pk>/trash/", tv.case_trash, name="case_trash"),
    path("care/case-studies/<int:pk>/restore/", tv.case_restore, name="case_restore"),
]
