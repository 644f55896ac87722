"""The directory of units, and the API's documentation, in the main navigation."""

from django.utils.translation import gettext_lazy as _

from chuangwen.core.navigation import NavItem

from .permissions import offered_api_docs

MENU = (
    NavItem(_("单位名录"), "org:unit_list", order=600),
    NavItem(_("接口文档"), "api:openapi-view", order=900, visible=offered_api_docs),
)
