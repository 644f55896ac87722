"""Who is offered what org keeps an eye on for the whole platform."""

from chuangwen.core.scoping import scope_for

from .choices import Role

# Who is offered the API's documentation in the menu: the office's administrators, who
# issue the tokens (the page itself opens to any signed-in caller).
API_DOCS_ROLES = frozenset({Role.CITY_ADMIN})


def offered_api_docs(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.roles & API_DOCS_ROLES)
