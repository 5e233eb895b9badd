from django.urls import path

from attract.engagement import interaction_list_views, interaction_views, task_views, views

app_name = "engagement"

urlpatterns = [
    path("log/<str:kind>/<int:pk>/", views.interaction_log, name="interaction_log"),
    path("interactions/", interaction_list_views.interactions, name="interactions"),
    path(
        "interactions/bulk/",
        interaction_list_views.interaction_bulk_change,
        name="interaction_bulk_change",
    ),
    path(
        "interactions/<int:pk>/edit/",
        interaction_views.interaction_edit,
        name="interaction_edit",
    ),
    path(
        "interactions/<int:pk>/delete/",
        interaction_views.interaction_delete,
        name="interaction_delete",
    ),
    path(
        "interactions/<int:pk>/restore/",
        interaction_views.interaction_restore,
        name="interaction_restore",
    ),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/override/", views.verdict_override, name="verdict_override"),
    path("awaiting-reply/", views.awaiting, name="awaiting"),
    path("goals/", views.goals, name="goals"),
    path("tasks/", task_views.tasks, name="tasks"),
    path("tasks/bulk/", task_views.task_bulk_change, name="task_bulk_change"),
    path("tasks/<int:pk>/edit/", task_views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/trash/", task_views.task_trash, name="task_trash"),
    path("tasks/<int:pk>/restore/", task_views.task_restore, name="task_restore"),
    path("tasks/new/<str:kind>/<int:pk>/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<int:pk>/undo/", views.task_undo, name="task_undo"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
