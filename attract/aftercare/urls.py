from django.urls import path

from attract.aftercare import care_views
from attract.aftercare.departure_urls import departure_urlpatterns

app_name = "aftercare"

urlpatterns = [
    path("care/", care_views.care, name="care"),
    path("care/plans/", care_views.plans, name="plans"),
    path("care/plans/<int:pk>/", care_views.plan_detail, name="plan_detail"),
    path("care/plans/<int:pk>/steps/", care_views.plan_step_add, name="plan_step_add"),
    path("care/plans/<int:pk>/trash/", care_views.plan_trash, name="plan_trash"),
    path("care/plans/<int:pk>/restore/", care_views.plan_restore, name="plan_restore"),
    path("care/plan-steps/<int:pk>/remove/", care_views.plan_step_remove, name="plan_step_remove"),
    path("care/steps/<int:pk>/done/", care_views.step_done, name="step_done"),
    path("care/promises/<str:kind>/<int:pk>/", care_views.promise_create, name="promise_create"),
    path("care/promises/<int:pk>/record/", care_views.promise_record, name="promise_record"),
    path(
        "care/experiences/<str:kind>/<int:pk>/",
        care_views.experience_create,
        name="experience_create",
    ),  # fmt: skip
    path("care/deals/<int:pk>/expectations/", care_views.expectation_add, name="expectation_add"),
    path(
        "care/expectations/<int:pk>/delete/",
        care_views.expectation_delete,
        name="expectation_delete",
    ),  # fmt: skip
    path("care/persons/<int:pk>/dates/", care_views.person_date_add, name="person_date_add"),
    path(
        "care/person-dates/<int:pk>/remove/",
        care_views.person_date_remove,
        name="person_date_remove",
    ),  # fmt: skip
]
urlpatterns += departure_urlpatterns  # departures, surveys, repeat purchase, testimonials
