"""Housekeeping on users: a new password revokes the user's API tokens."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save


def revoke_tokens_on_password_change(sender, instance, raw=False, **kwargs):
    """Django has no password-changed signal; every path (the password change page, the admin,
    `changepassword`, `set_password()` then `save()`) ends in this save with a new hash.

    `set_password()` leaves the raw password in `_password` until the save; a hash upgrade at
    login (same password, new hasher) clears it first, and keeps the tokens. A password made
    unusable revokes them too.
    """
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is None or old == instance.password:
        return
    if getattr(instance, "_password", None) is None and instance.has_usable_password():
        return
    from .accounts import tokens_revoke_all

    tokens_revoke_all(user=instance)


def connect() -> None:
    pre_save.connect(
        revoke_tokens_on_password_change,
        sender=get_user_model(),
        dispatch_uid="accord.core.revoke_tokens_on_password_change",
    )
