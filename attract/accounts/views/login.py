from __future__ import annotations

from django.contrib.auth import views as auth_views

from attract.accounts.forms import EmailLoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True


# Django's LogoutView answers only POST, so a link or an image on another site cannot sign
# someone out.
logout = auth_views.LogoutView.as_view()
