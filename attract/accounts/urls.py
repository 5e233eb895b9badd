from django.urls import path

from attract.accounts.views import invitations, login, own, team, tokens

app_name = "accounts"

urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("logout/", login.logout, name="logout"),
    path("invite/<str:token>/", invitations.invitation_accept_page, name="invitation_accept"),
    path("settings/", own.settings_home, name="settings"),
    path("settings/profile/", own.profile, name="profile"),
    path("settings/password/", own.password_change, name="password_change"),
    path("settings/tokens/", tokens.token_list, name="token_list"),
    path("settings/tokens/new/", tokens.token_create, name="token_create"),
    path("settings/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("settings/team/", team.team, name="team"),
    path("settings/team/<int:pk>/role/", team.member_role_change, name="member_role_change"),
    path("settings/team/<int:pk>/deactivate/", team.member_deactivate, name="member_deactivate"),
    path("settings/team/<int:pk>/reactivate/", team.member_reactivate, name="member_reactivate"),
    path("settings/team/invitations/", team.invitation_new, name="invitation_create"),
    path(
        "settings/team/invitations/<int:pk>/revoke/",
        team.invitation_cancel,
        name="invitation_revoke",
    ),
]
