"""Which parts of 考评 a user may open, for the section bar every assessment page shows
(pages of other modules include it too, so it reads the user itself)."""

from django import template

from ..permissions import manages_assessment
from ..report import may_read_report
from ..selectors.dashboard import may_view

register = template.Library()


@register.simple_tag
def assessment_access(user) -> dict:
    return {
        "office": manages_assessment(user),
        "report": may_read_report(user),
        "dashboard": may_view(user),
    }
