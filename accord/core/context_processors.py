from . import policy


def workspace(request):
    from accord.registry.selectors import home_organization

    user = getattr(request, "user", None)
    return {
        "home": home_organization() if policy.can_view(user) else None,
        "can_edit": policy.can_edit(user),
        "can_administer": policy.can_administer(user),
        "user_role": policy.role_of(user),
    }
