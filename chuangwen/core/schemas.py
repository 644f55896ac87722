"""The API's one error shape, shared by every operation's declared error responses."""

from ninja import Field, Schema


class ErrorOut(Schema):
    """A refusal: a message for the person who asked (in Chinese) and, when the refusal
    concerns one input field, that field's name as the client sent it (dotted for a
    nested one)."""

    detail: str = Field(..., description="错误说明")
    field: str | None = Field(None, description="出错的输入字段(只涉及一个字段时)")


# Every operation can answer these: the API requires credentials and limits the rate.
ALWAYS = (401, 429)


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation declares, all in the one error shape, on top of
    those every operation can give (``ALWAYS``): ``response={200: Out, **errors(404, 422)}``."""
    return dict.fromkeys(sorted({*ALWAYS, *statuses}), ErrorOut)
