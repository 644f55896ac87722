"""The API's typed contract: every operation of the OpenAPI document that clients read
says what its success answers hold, and every error it declares is the one error shape."""

import pytest

pytestmark = pytest.mark.django_db

ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture
def document(client, token_for):
    from chuangwen.testing.factories import UserFactory

    response = client.get("/api/v1/openapi.json", **token_for(UserFactory()))
    assert response.status_code == 200
    return response.json()


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def _described(schema, components, seen=()) -> bool:
    """A schema that says what the JSON holds: an object with named properties, an array
    of such, or a choice among them (never a bare ``object`` or ``{}``)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return name not in seen and _described(components[name], components, (*seen, name))
    if schema.get("type") == "array":
        return _described(schema.get("items", {}), components, seen)
    if "anyOf" in schema or "oneOf" in schema:
        choices = [c for c in schema.get("anyOf", schema.get("oneOf")) if c.get("type") != "null"]
        return bool(choices) and all(_described(c, components, seen) for c in choices)
    return schema.get("type") == "object" and bool(schema.get("properties"))


def _json_schema(answer) -> dict:
    return answer.get("content", {}).get("application/json", {}).get("schema", {})


def test_every_operation_declares_what_its_success_answers_hold(document):
    components = document["components"]["schemas"]
    untyped = []
    for label, operation in _operations(document):
        successes = {code: a for code, a in operation["responses"].items() if code.startswith("2")}
        if not successes:
            untyped.append(f"{label}: no success answer declared")
        for code, answer in successes.items():
            if not _described(_json_schema(answer), components):
                untyped.append(f"{label} {code}")
    assert untyped == []


def test_every_declared_error_is_the_one_error_shape(document):
    components = document["components"]["schemas"]
    assert set(components["ErrorOut"]["properties"]) == {"detail", "field"}
    assert components["ErrorOut"]["required"] == ["detail"]
    other = []
    for label, operation in _operations(document):
        errors = {code: a for code, a in operation["responses"].items() if code[0] in "45"}
        # Every operation needs credentials and is rate limited.
        for code in ("401", "429"):
            if code not in errors:
                other.append(f"{label}: {code} not declared")
        for code, answer in errors.items():
            if _json_schema(answer) != ERROR_SCHEMA:
                other.append(f"{label} {code}")
    assert other == []


def test_the_check_knows_an_untyped_answer():
    components = {"Row": {"type": "object", "properties": {"id": {"type": "integer"}}}}
    assert _described({"$ref": "#/components/schemas/Row"}, components)
    assert _described({"type": "array", "items": {"$ref": "#/components/schemas/Row"}}, components)
    assert not _described({"type": "object", "additionalProperties": True}, components)
    assert not _described({"type": "array", "items": {}}, components)
    assert not _described({}, components)


def _models(annotation):
    """The schema classes an annotation names, nested ones included."""
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation)
    for argument in get_args(annotation):
        yield from _models(argument)


def test_no_two_schemas_share_a_name():
    """The document lists schemas by class name: two classes of one name would show
    clients one shape for both (and the fuzz would hold the other to it)."""
    from chuangwen.api import api

    by_name = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                answers = [m for m in operation.response_models.values() if m]
                for model in [*answers, *operation.models]:
                    for found in _models(model):
                        by_name.setdefault(found.__name__, set()).add(found)
    shared = {name for name, classes in by_name.items() if len(classes) > 1}
    # Made per operation by django-ninja: the wrappers of each answer and of the
    # parameters of each kind (never listed among the document's schemas).
    made = {"NinjaResponseSchema", "PathParams", "QueryParams", "BodyParams", "FormParams"}
    made |= {"FileParams", "HeaderParams", "CookieParams"}
    assert shared - made == set()
