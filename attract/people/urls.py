from django.urls import path

from attract.people.views import bulk, companies, inline, merge, persons, trash

app_name = "people"

# Route map for the people app. Views live one module per page family in people/views/.
urlpatterns = [
    path("people/", persons.person_list, name="person_list"),
    path("people/new/", persons.person_create, name="person_create"),
    path("people/<int:pk>/", persons.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", persons.person_edit, name="person_edit"),
    path("people/<int:pk>/field/<str:name>/", inline.person_field, name="person_field"),
    path("companies/", companies.company_list, name="company_list"),
    path("companies/new/", companies.company_create, name="company_create"),
    path("companies/suggest/", companies.company_suggest, name="company_suggest"),
    path("companies/<int:pk>/", companies.company_detail, name="company_detail"),
    path("companies/<int:pk>/edit/", companies.company_edit, name="company_edit"),
    path("companies/<int:pk>/field/<str:name>/", inline.company_field, name="company_field"),
    path("bulk/<str:kind>/", bulk.bulk_change, name="bulk_change"),
    path("bulk/changes/<int:pk>/undo/", bulk.bulk_change_undo, name="bulk_change_undo"),
    path("trash/", trash.trash, name="trash"),
    path("people/<int:pk>/trash/", trash.person_trash, name="person_trash"),
    path("people/<int:pk>/restore/", trash.person_restore, name="person_restore"),
    path("people/<int:pk>/merge/", merge.person_merge, name="person_merge"),
    path("companies/<int:pk>/trash/", trash.company_trash, name="company_trash"),
    path("companies/<int:pk>/restore/", trash.company_restore, name="company_restore"),
    path("companies/<int:pk>/merge/", merge.company_merge, name="company_merge"),
]
