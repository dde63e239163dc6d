from django.contrib.auth import views as auth_views
from django.urls import path

from accord.core import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("deleted/", views.DeletedListView.as_view(), name="deleted_list"),
    path("deleted/<int:pk>/", views.DeletedDetailView.as_view(), name="deleted_detail"),
]
