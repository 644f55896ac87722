"""The GeoReport v2 response rules, written out as checks: required members, types,
enumerations and date-time formats of service, service definition, request and the
other documents, for JSON and for XML read back into the same shape."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

# W3C date-time with an explicit offset, as the spec demands; this city writes +08:00.
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
# Lists in the XML documents, and the element of their members.
XML_LISTS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
}


@dataclass
class Rule:
    name: str
    required: set[str]
    members: dict[str, tuple[str, ...]]
    enums: dict[str, set] = field(default_factory=dict)
    nested: dict[str, Rule] = field(default_factory=dict)
    max_length: dict[str, int] = field(default_factory=dict)


VALUE = Rule("value", {"key", "name"}, {"key": ("string",), "name": ("string",)})
ATTRIBUTE = Rule(
    "attribute",
    {"variable", "code", "datatype", "required"},
    {
        "variable": ("boolean",),
        "code": ("string",),
        "datatype": ("string",),
        "required": ("boolean",),
        "datatype_description": ("string", "null"),
        "order": ("integer", "null"),
        "description": ("string", "null"),
        "values": ("array",),
    },
    enums={
        "datatype": {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
    },
    nested={"values": VALUE},
)
SERVICE_DEFINITION = Rule(
    "service_definition",
    {"service_code", "attributes"},
    {"service_code": ("string",), "attributes": ("array",)},
    nested={"attributes": ATTRIBUTE},
)
SERVICE = Rule(
    "service",
    {"service_code", "service_name", "metadata", "type"},
    {
        "service_code": ("string",),
        "service_name": ("string",),
        "description": ("string", "null"),
        "metadata": ("boolean",),
        "type": ("string",),
        "keywords": ("string", "null"),
        "group": ("string", "null"),
    },
    enums={"type": {"realtime", "batch", "blackbox"}},
)
_OPTIONAL_TEXT = ("string", "null")
REQUEST = Rule(
    "request",
    {"service_request_id", "status", "service_code", "requested_datetime"},
    {
        "service_request_id": ("string",),
        "status": ("string",),
        "status_notes": _OPTIONAL_TEXT,
        "service_name": _OPTIONAL_TEXT,
        "service_code": ("string",),
        "description": _OPTIONAL_TEXT,
        "agency_responsible": _OPTIONAL_TEXT,
        "service_notice": _OPTIONAL_TEXT,
        "requested_datetime": ("date-time",),
        "updated_datetime": ("date-time", "null"),
        "expected_datetime": ("date-time", "null"),
        "address": _OPTIONAL_TEXT,
        "address_id": _OPTIONAL_TEXT,
        "zipcode": _OPTIONAL_TEXT,
        "lat": ("number", "null"),
        "long": ("number", "null"),
        "media_url": ("uri", "null"),
    },
    enums={"status": {"open", "closed"}},
    max_length={"description": 4000},
)
REQUEST_CREATED = Rule(
    "request",
    {"service_request_id"},
    {
        "service_request_id": ("string",),
        "token": ("string",),
        "service_notice": _OPTIONAL_TEXT,
        "account_id": _OPTIONAL_TEXT,
    },
)
TOKEN = Rule(
    "request",
    {"service_request_id", "token"},
    {"service_request_id": ("string",), "token": ("string",)},
)
UPDATE = Rule(
    "request_update",
    {"update_id", "service_request_id", "status", "updated_datetime"},
    {
        "update_id": ("string",),
        "service_request_id": ("string",),
        "status": ("string",),
        "updated_datetime": ("date-time",),
        "description": _OPTIONAL_TEXT,
        "media_url": ("uri", "null"),
    },
    enums={"status": {"open", "closed"}},
)
ERROR = Rule("error", {"code", "description"}, {"code": ("integer",), "description": ("string",)})
ENDPOINT = Rule(
    "endpoint",
    {"specification", "url", "changeset", "type", "formats"},
    {
        "specification": ("string",),
        "url": ("uri",),
        "changeset": ("date-time", "null"),
        "type": ("string",),
        "formats": ("array",),
    },
    enums={"type": {"production", "test"}},
)
DISCOVERY = Rule(
    "discovery",
    {"changeset", "contact", "key_service", "endpoints"},
    {
        "changeset": ("date-time", "null"),
        "contact": ("string",),
        "key_service": ("string",),
        "endpoints": ("array",),
    },
    nested={"endpoints": ENDPOINT},
)


def _matches(value, kind: str, *, xml: bool) -> bool:
    """Whether a member's value is of one kind; XML carries every value as text."""
    if kind == "null":
        return value is None
    if value is None:
        return False
    if kind == "array":
        return isinstance(value, list)
    if xml:
        if not isinstance(value, str):
            return False
        if kind == "boolean":
            return value in ("true", "false")
        if kind == "integer":
            return re.fullmatch(r"-?\d+", value) is not None
        if kind == "number":
            return re.fullmatch(r"-?\d+(\.\d+)?", value) is not None
    elif kind == "boolean":
        return isinstance(value, bool)
    elif kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    elif kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "date-time":
        return isinstance(value, str) and W3C.match(value) is not None
    if kind == "uri":
        return isinstance(value, str) and re.match(r"^https?://\S+$", value) is not None
    raise AssertionError(f"unknown kind {kind}")


def check(item, rule: Rule, *, xml: bool = False) -> None:
    assert isinstance(item, dict), f"{rule.name} is not an object: {item!r}"
    missing = rule.required - item.keys()
    assert not missing, f"{rule.name} lacks {sorted(missing)}"
    unknown = item.keys() - rule.members.keys()
    assert not unknown, f"{rule.name} has members the spec does not name: {sorted(unknown)}"
    for name, value in item.items():
        kinds = rule.members[name]
        assert any(_matches(value, k, xml=xml) for k in kinds), (
            f"{rule.name}.{name} = {value!r} is not {' or '.join(kinds)}"
        )
        if name in rule.enums and value is not None:
            assert value in rule.enums[name], f"{rule.name}.{name} = {value!r}"
        if name in rule.max_length and value is not None:
            assert len(value) <= rule.max_length[name]
        if name in rule.nested:
            for member in value:
                check(member, rule.nested[name], xml=xml)
    if rule is ATTRIBUTE:
        listed = item["datatype"] in ("singlevaluelist", "multivaluelist")
        assert listed == bool(item.get("values")), f"values and datatype disagree: {item}"


def check_list(items, rule: Rule, *, xml: bool = False) -> None:
    assert isinstance(items, list), f"not a list of {rule.name}: {items!r}"
    for item in items:
        check(item, rule, xml=xml)


def _element(element: ElementTree.Element):
    if element.tag in XML_LISTS:
        tags = {child.tag for child in element}
        assert tags <= {XML_LISTS[element.tag]}, f"<{element.tag}> holds {tags}"
        return [_element(child) for child in element]
    if len(element):
        tags = [child.tag for child in element]
        assert len(tags) == len(set(tags)), f"<{element.tag}> repeats members: {tags}"
        return {child.tag: _element(child) for child in element}
    return element.text or None


def read_xml(body: bytes) -> tuple[str, object]:
    """The document element's name and the document as the JSON shape."""
    assert body.startswith(XML_DECLARATION), body[:60]
    root = ElementTree.fromstring(body)
    return root.tag, _element(root)


def read(response, *, root: str):
    """The response body in the JSON shape, after checking the content type and, for
    XML, the document element."""
    fmt = "xml" if response["Content-Type"].startswith("text/xml") else "json"
    if fmt == "xml":
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        tag, data = read_xml(response.content)
        assert tag == root, f"document element <{tag}>, expected <{root}>"
        return data
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def check_error(response, status: int, fmt: str, *, says: str = "") -> str:
    """An ``<errors>`` document with one error of that status; returns its text."""
    assert response.status_code == status, response.content.decode()
    errors = read(response, root="errors")
    assert response["Content-Type"].startswith("text/xml" if fmt == "xml" else "application/json")
    check_list(errors, ERROR, xml=fmt == "xml")
    assert len(errors) == 1
    assert int(errors[0]["code"]) == status
    description = errors[0]["description"]
    assert says in description, description
    return description
