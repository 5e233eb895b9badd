from django.urls import path

from attract.aftercare import care_views
from attract.aftercare.departure_urls import departure_urlpatterns

app_name = "aftercare"

urlpatterns = [
    path("care/", care_views.care, name="care"),
    path("care/at-risk/<int:pk>/touch/", care_views.care_touch, name="care_touch"),
    path("care/plans/", care_views.plans, name="plans"),
    path("care/plans/<int:pk>/", care_views.plan_detail, name="plan_detail"),
    path("care/plans/<int:pk>/steps/", care_views.plan_step_add, name="plan_step_add"),
    path("care/plans/<int:pk>/trash/", care_views.plan_trash, name="plan_trash"),
    path("care/plans/<int:pk>/restore/", care_views.plan_restore, name="plan_restore"),
    path("care/plan-steps/<int:pk>/edit/", care_views.plan_step_edit, name="plan_step_edit"),
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

from attract.aftercare import customer_love_views as love  # noqa: E402

urlpatterns += [  # events, offers, visits and ideas (love your customers)
    path("care/events/", love.events, name="events"),
    path("care/events/<int:pk>/", love.event_detail, name="event_detail"),
    path("care/events/<int:pk>/invite/", love.event_invite, name="event_invite"),
    path("care/events/<int:pk>/trash/", love.event_trash, name="event_trash"),
    path("care/events/<int:pk>/restore/", love.event_restore, name="event_restore"),
    path(
        "care/event-guests/<int:pk>/attendance/", love.guest_attendance, name="guest_attendance"
    ),  # fmt: skip
    path("care/offers/", love.offers, name="offers"),
    path("care/offers/new/<str:kind>/<int:pk>/", love.offer_create, name="offer_create"),
    path("care/offers/<int:pk>/", love.offer_detail, name="offer_detail"),
    path("care/offers/<int:pk>/answer/", love.offer_answer, name="offer_answer"),
    path("care/offers/<int:pk>/trash/", love.offer_trash, name="offer_trash"),
    path("care/offers/<int:pk>/restore/", love.offer_restore, name="offer_restore"),
    path("care/visits/", love.visits, name="visits"),
    path("care/visits/new/<str:kind>/<int:pk>/", love.visit_create, name="visit_create"),
    path("care/visits/<int:pk>/", love.visit_detail, name="visit_detail"),
    path("care/visits/<int:pk>/trash/", love.visit_trash, name="visit_trash"),
    path("care/visits/<int:pk>/restore/", love.visit_restore, name="visit_restore"),
    path("care/ideas/", love.ideas, name="ideas"),
    path("care/ideas/<int:pk>/", love.idea_detail, name="idea_detail"),
    path("care/ideas/<int:pk>/link/", love.idea_link, name="idea_link"),
    path("care/ideas/<int:pk>/trash/", love.idea_trash, name="idea_trash"),
    path("care/ideas/<int:pk>/restore/", love.idea_restore, name="idea_restore"),
]
