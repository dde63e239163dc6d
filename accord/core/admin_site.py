from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class AccordAdminSite(OTPAdminSite):
    """The admin site; with ACCORD_REQUIRE_2FA it is django-otp's, open to verified users only.

    Anonymous users log in through Accord's login page, which counts failures (django-axes)
    and asks for the code.
    """

    def __init__(self, name="admin"):
        super().__init__(name)

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.ACCORD_REQUIRE_2FA else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.ACCORD_REQUIRE_2FA else None

    def has_permission(self, request):
        if settings.ACCORD_REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def login(self, request, extra_context=None):
        if not request.user.is_authenticated:
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return redirect_to_login(next_url)
        return super().login(request, extra_context)
