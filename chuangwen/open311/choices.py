from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwen.cases.choices import THIRD_PARTY_CHANNELS


class Datatype(models.TextChoices):
    """The input types GeoReport v2 knows for a service attribute."""

    STRING = "string", _("单行文本")
    NUMBER = "number", _("数字")
    DATETIME = "datetime", _("日期时间")
    TEXT = "text", _("多行文本")
    SINGLE = "singlevaluelist", _("单选")
    MULTI = "multivaluelist", _("多选")


# A key reports for citizens on behalf of an outside system: only the channels on which
# the submitting system is not itself the reporter fit.
KEY_CHANNELS = THIRD_PARTY_CHANNELS

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
