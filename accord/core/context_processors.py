from . import extensions, policy


def workspace(request):
    user = getattr(request, "user", None)
    viewer = policy.can_view(user)
    return {
        # Looked up once per request (extensions.request_home); the menu costs no query.
        "home": extensions.request_home(request) if viewer else None,
        "nav_entries": extensions.nav_for(request) if viewer else [],
        "can_edit": policy.can_edit(user),
        "can_administer": policy.can_administer(user),
        "user_role": policy.role_of(user),
    }
