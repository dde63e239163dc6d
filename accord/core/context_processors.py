from . import policy


def workspace(request):
    from accord.registry.selectors import home_organization

    user = getattr(request, "user", None)
    # Included templates may run the processors again; look the home up once per request.
    if not hasattr(request, "_accord_home"):
        request._accord_home = home_organization() if policy.can_view(user) else None
    return {
        "home": request._accord_home,
        "can_edit": policy.can_edit(user),
        "can_administer": policy.can_administer(user),
        "user_role": policy.role_of(user),
    }
