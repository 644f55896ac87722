"""Types every app shares, defined here without importing any of them."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser

# Who is acting: the signed-in user a service writes on behalf of (checked for
# permissions, named in the audit trail and on the rows it writes), or None when the
# platform acts by itself (the worker's scheduled jobs, imports replayed after a
# restart, fixtures). Spelled with Django's abstract base user rather than the
# project's user model so that core imports no other app: the model lives in accounts,
# which imports core. Every user the platform hands to a service is an accounts.User,
# which is such a user. Like any model, the base class can only be imported once the
# app registry is loading models, which is when services, views and admin modules are.
Actor: TypeAlias = AbstractBaseUser | None
