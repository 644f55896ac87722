"""GeoReport v2 responses: the same data as JSON or as XML with the spec's element names."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from django.http import HttpResponse

from chuangwen.core.validation import strip_controls

from .choices import CONTENT_TYPES

# The element each member of a list is written as, by the list's own element.
ITEM_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # Reports are cleaned on the way in; names the office typed into the admin are not
    # all, and one stray control character would make the whole document unreadable.
    return strip_controls(str(value))


def _fill(element: ElementTree.Element, value) -> None:
    if isinstance(value, dict):
        for name, member in value.items():
            _fill(ElementTree.SubElement(element, name), member)
    elif isinstance(value, list):
        tag = ITEM_TAGS[element.tag]
        for member in value:
            _fill(ElementTree.SubElement(element, tag), member)
    else:
        element.text = _text(value)


def to_xml(data, root: str) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, data)
    body = ElementTree.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}'.encode()


def respond(data, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """``root`` names the XML document element; JSON is the data as it is."""
    if fmt == "xml":
        body = to_xml(data, root)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str, **headers) -> HttpResponse:
    response = respond(
        [{"code": status, "description": str(description)}], fmt, root="errors", status=status
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response
