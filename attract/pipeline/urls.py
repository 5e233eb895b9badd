from django.urls import path

from attract.pipeline.views import board, bulk, deals, insights

app_name = "pipeline"

urlpatterns = [
    path("pipeline/", board.board, name="board"),
    path("pipeline/forecast/", insights.forecast, name="forecast"),
    path("pipeline/long-maybes/", insights.long_maybes, name="long_maybes"),
    path("pipeline/stages/", insights.stage_settings_page, name="stage_settings"),
    path("pipeline/questions/", insights.questions, name="questions"),
    path("pipeline/questions/<int:pk>/", insights.question_update, name="question_update"),
    path("deals/new/", deals.deal_create, name="deal_create"),
    path("deals/", deals.deal_list, name="deal_list"),
    path("deals/bulk/", bulk.deal_bulk_change, name="deal_bulk_change"),
    path("deals/closed/", deals.deal_list, {"closed": True}, name="closed_list"),
    path("deals/<int:pk>/", deals.deal_detail, name="deal_detail"),
    path("deals/<int:pk>/edit/", deals.deal_edit, name="deal_edit"),
    path("deals/<int:pk>/move/", board.deal_move, name="deal_move"),
    path("deals/<int:pk>/moves/<int:move_pk>/undo/", board.deal_undo_move, name="deal_undo_move"),
    path("deals/<int:pk>/conviction/", deals.deal_conviction, name="deal_conviction"),
    path("deals/<int:pk>/win/", deals.deal_win, name="deal_win"),
    path("deals/<int:pk>/lose/", deals.deal_lose, name="deal_lose"),
    path("deals/<int:pk>/refer-out/", deals.deal_refer_out, name="deal_refer_out"),
    path("deals/<int:pk>/close-as-no/", deals.deal_close_as_no, name="deal_close_as_no"),
    path("deals/<int:pk>/reopen/", deals.deal_reopen, name="deal_reopen"),
    path("deals/<int:pk>/trash/", deals.deal_trash, name="deal_trash"),
    path("deals/<int:pk>/restore/", deals.deal_restore, name="deal_restore"),
    path("deals/<int:pk>/quotes/", deals.quote_create, name="quote_create"),
    path("quotes/<int:pk>/", deals.quote_update, name="quote_update"),
]
