from django.contrib.auth import views as auth_views
from django.urls import path

from accord.core import auth_views as auth
from accord.core import views
from accord.core.health import healthz
from accord.core.pickers import PickView

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("login/verify/", auth.login_verify, name="login_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", auth.account, name="account"),
    path("account/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("account/tokens/", auth.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", auth.token_revoke, name="token_revoke"),
    path("account/two-factor/", auth.two_factor, name="two_factor_setup"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("deleted/", views.DeletedListView.as_view(), name="deleted_list"),
    path("deleted/export/", views.DeletedExportView.as_view(), name="deleted_export"),
    path("pick/<slug:kind>/", PickView.as_view(), name="pick"),
    path("deleted/<int:pk>/", views.DeletedDetailView.as_view(), name="deleted_detail"),
]
