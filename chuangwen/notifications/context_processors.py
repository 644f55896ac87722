from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject

from .selectors import unread_count

BELL_CAP = 99


@dataclass(frozen=True)
class Bell:
    count: int

    @property
    def label(self) -> str:
        return f"{BELL_CAP}+" if self.count > BELL_CAP else str(self.count)


def unread(request):
    """The bell's unread count: one COUNT, and only if a template actually shows the bell
    (htmx fragments do not)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": SimpleLazyObject(lambda: Bell(count=unread_count(user)))}
