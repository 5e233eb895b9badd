from django.urls import path

from attract.attraction.views import fit, journal, plan

app_name = "attraction"

urlpatterns = [
    path("plan/", plan.plan, name="plan"),
    path("plan/qualities/", plan.quality_add, name="quality_add"),
    path("plan/qualities/<int:pk>/", plan.quality_change, name="quality_change"),
    path("plan/qualities/<int:pk>/remove/", plan.quality_remove, name="quality_remove"),
    path("plan/qualities/<int:pk>/restore/", plan.quality_restore, name="quality_restore"),
    path("plan/questions/", plan.question_add, name="question_add"),
    path("plan/questions/<int:pk>/", plan.question_change, name="question_change"),
    path("plan/questions/<int:pk>/remove/", plan.question_remove, name="question_remove"),
    path("plan/questions/<int:pk>/restore/", plan.question_restore, name="question_restore"),
    path("plan/expectations/", plan.expectation_add, name="expectation_add"),
    path("plan/expectations/<int:pk>/", plan.expectation_line, name="expectation_line"),
    path("plan/expectations/<int:pk>/remove/", plan.expectation_remove, name="expectation_remove"),
    path(
        "plan/expectations/<int:pk>/restore/",
        plan.expectation_restore,
        name="expectation_restore",
    ),
    path("plan/number/", plan.perfect_number, name="perfect_number"),
    path("plan/statement/", plan.statement, name="statement"),
    path("plan/revisions/", plan.revision_create, name="revision_create"),
    path("plan/compare/", plan.revision_compare, name="compare"),
    path("plan/print/", fit.plan_print, name="print"),
    path("plan/attraction-plan.pdf", fit.plan_download, name="pdf"),
    path("plan/journal/", journal.journal, name="journal"),
    path("plan/journal/<int:pk>/quality/", journal.complaint_turn, name="complaint_turn"),
    path("plan/traits/", journal.traits, name="traits"),
    path("plan/traits/<int:pk>/quality/", journal.trait_add, name="trait_add"),
    path("plan/thank-you-notes/", journal.notes, name="notes"),
    path("plan/thank-you-notes/<int:pk>/delete/", journal.note_delete, name="note_delete"),
    path("plan/learning/", journal.learning, name="learning"),
    path("plan/fit/companies/", fit.companies_by_fit, name="companies_by_fit"),
    path("fit/deals/<int:pk>/not-a-fit/", fit.deal_not_a_fit, name="deal_not_a_fit"),
    path("fit/<str:subject>/<int:pk>/assess/", fit.assess, name="assess"),
    path("fit/<str:subject>/<int:pk>/require/", fit.require, name="require"),
]
