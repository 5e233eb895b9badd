from django.urls import path

from attract.partners import article_views, challenge_views, initiative_views, referral_views, views

app_name = "partners"

urlpatterns = [
    path("partners/", views.partner_list, name="list"),
    path("partners/new/", views.partner_create, name="create"),
    path("partners/<int:pk>/", views.partner_detail, name="detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="edit"),
    path("partners/<int:pk>/trash/", views.partner_trash, name="trash"),
    path("partners/<int:pk>/restore/", views.partner_restore, name="restore"),
    path("partners/<int:pk>/lines/", views.line_add, name="line_add"),
    path("partners/lines/<int:pk>/mark/", views.line_mark, name="line_mark"),
    path("partners/lines/<int:pk>/remove/", views.line_remove, name="line_remove"),
    path("partners/<int:pk>/steps/", views.step_record, name="step_record"),
    path("partners/refer/<str:kind>/<int:pk>/", views.refer, name="refer"),
    path("partners/referrals/<int:pk>/", referral_views.referral_edit, name="referral_edit"),
    path(
        "partners/referrals/<int:pk>/trash/", referral_views.referral_trash, name="referral_trash"
    ),
    path(
        "partners/referrals/<int:pk>/restore/",
        referral_views.referral_restore,
        name="referral_restore",
    ),
    path("partners/challenge/", challenge_views.challenge_page, name="challenge"),
    path("partners/challenge/start/", challenge_views.challenge_start, name="challenge_start"),
    path("partners/challenge/meet/", challenge_views.challenge_meet, name="challenge_meet"),
    path("partners/initiatives/", initiative_views.initiative_list, name="initiatives"),
    path("partners/initiatives/new/", initiative_views.initiative_create, name="initiative_create"),
    path(
        "partners/initiatives/<int:pk>/",
        initiative_views.initiative_detail,
        name="initiative_detail",
    ),
    path(
        "partners/initiatives/<int:pk>/edit/",
        initiative_views.initiative_edit,
        name="initiative_edit",
    ),
    path(
        "partners/initiatives/<int:pk>/trash/",
        initiative_views.initiative_trash,
        name="initiative_trash",
    ),
    path(
        "partners/initiatives/<int:pk>/restore/",
        initiative_views.initiative_restore,
        name="initiative_restore",
    ),
    path(
        "partners/initiatives/<int:pk>/people/",
        initiative_views.initiative_add_person,
        name="initiative_add_person",
    ),
    path("partners/topics/", initiative_views.topic_list, name="topics"),
    path("partners/topics/<int:pk>/", initiative_views.topic_edit, name="topic_edit"),
    path("partners/topics/<int:pk>/trash/", initiative_views.topic_trash, name="topic_trash"),
    path("partners/topics/<int:pk>/restore/", initiative_views.topic_restore, name="topic_restore"),
    path("partners/topics/<int:pk>/articles/", article_views.article_add, name="article_add"),
    path("partners/articles/<int:pk>/", article_views.article_detail, name="article"),
    path("partners/articles/<int:pk>/trash/", article_views.article_trash, name="article_trash"),
    path(
        "partners/articles/<int:pk>/restore/", article_views.article_restore, name="article_restore"
    ),
]
