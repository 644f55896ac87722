from chuangwen.cases.choices import THIRD_PARTY_CHANNELS

# A key reports for citizens on behalf of an outside system: only the channels on which
# the submitting system is not itself the reporter fit.
KEY_CHANNELS = THIRD_PARTY_CHANNELS

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
