"""What a category's extra fields may say, and the W3C date-times the endpoint reads."""

from datetime import UTC, datetime, timedelta

import pytest

from chuangwen.core.errors import ServiceError
from chuangwen.open311.definitions import (
    DefinitionError,
    attributes_of,
    clean_attribute_values,
)
from chuangwen.open311.w3c import format_datetime, parse_datetime
from chuangwen.testing.cases import at

# The calendar (the city's time zone) is read from the database.
pytestmark = pytest.mark.django_db

CHOICE = {"code": "cover", "label": "井盖类型", "type": "choice", "choices": ["雨水井"]}


@pytest.mark.parametrize(
    ("extra_fields", "says"),
    [
        ({"code": "x"}, "须是一个列表"),
        (["cover"], "第 1 项:每一项须是一个对象"),
        ([{**CHOICE, "code": "1st"}], "编码“1st”无效"),
        ([{**CHOICE, "code": "_open311"}], "编码“_open311”无效"),
        ([CHOICE, CHOICE], "第 2 项:编码“cover”重复"),
        ([{**CHOICE, "label": " "}], "请填写字段名称 label"),
        ([{**CHOICE, "type": "photo"}], "未知的字段类型“photo”"),
        ([{**CHOICE, "choices": []}], "须列出选项 choices"),
        ([{**CHOICE, "choices": ["a", {"key": "a", "label": "甲"}]}], "选项 key“a”重复"),
        ([{**CHOICE, "choices": [{"label": "无键"}]}], "每个选项须有 key"),
        ([{**CHOICE, "order": 0}], "order 须是正整数"),
        ([{**CHOICE, "order": True}], "order 须是正整数"),
    ],
)
def test_malformed_definitions_are_refused_with_their_entry(extra_fields, says):
    with pytest.raises(DefinitionError, match=says) as info:
        attributes_of(extra_fields)
    assert info.value.status_code == 500


def test_definitions_read_open311_type_names_and_plain_choices():
    (single, note) = attributes_of(
        [
            {"code": "kind", "label": "种类", "type": "singlevaluelist", "choices": ["甲", "乙"]},
            {"code": "notice", "label": "请勿靠近", "type": "string", "variable": False},
        ]
    )
    assert single.datatype == "singlevaluelist"
    assert single.values == (("甲", "甲"), ("乙", "乙"))
    assert (single.required, single.order) == (False, 1)
    assert (note.variable, note.order) == (False, 2)
    assert attributes_of([]) == () and attributes_of(None) == ()


def test_an_information_only_attribute_takes_no_value():
    attributes = attributes_of(
        [{"code": "notice", "label": "请勿靠近", "type": "string", "variable": False}]
    )
    assert clean_attribute_values(attributes, {}, service_code="E0102") == {}
    with pytest.raises(ServiceError, match="仅作说明"):
        clean_attribute_values(attributes, {"notice": ["好"]}, service_code="E0102")


def test_values_are_stored_by_type():
    attributes = attributes_of(
        [
            {"code": "count", "label": "数量", "type": "number"},
            {"code": "size", "label": "面积", "type": "number"},
            {"code": "tags", "label": "标签", "type": "multichoice", "choices": ["a", "b"]},
            {"code": "note", "label": "说明", "type": "text"},
        ]
    )
    cleaned = clean_attribute_values(
        attributes,
        {"count": ["3"], "size": ["2.50"], "tags": ["b", "a", "b"], "note": ["  ", ""]},
        service_code="E0102",
    )
    assert cleaned == {"count": 3, "size": 2.5, "tags": ["b", "a"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25T10:00:00+08:00", at(2026, 11, 25, 10, 0)),
        ("2026-11-25T02:00:00Z", at(2026, 11, 25, 10, 0)),
        ("2026-11-25T02:00Z", at(2026, 11, 25, 10, 0)),
        ("2026-11-25T10:00:00.250+08:00", at(2026, 11, 25, 10, 0, 0, 250000)),
        ("2026-11-25T10:00:00", at(2026, 11, 25, 10, 0)),  # no offset: the city's time
        ("2026-11-25T10:00:00 08:00", at(2026, 11, 25, 10, 0)),  # an unencoded "+"
        ("2026-11-25", at(2026, 11, 25, 0, 0)),
    ],
)
def test_w3c_date_times_are_read(text, expected):
    assert parse_datetime(text, name="start_date") == expected


def test_a_date_ending_a_window_covers_the_whole_day():
    end = parse_datetime("2026-11-25", name="end_date", end_of_day=True)
    assert end == at(2026, 11, 26, 0, 0) - timedelta(microseconds=1)


@pytest.mark.parametrize(
    "text", ["", "25/11/2026", "2026-11", "2026-11-25T10", "2026-02-30", "2026-11-25T10:00+8"]
)
def test_other_date_times_are_refused(text):
    with pytest.raises(ServiceError, match="start_date 不是有效的 W3C 日期时间"):
        parse_datetime(text, name="start_date")


def test_date_times_are_written_with_the_citys_offset():
    assert format_datetime(datetime(2026, 11, 25, 2, 0, tzinfo=UTC)) == (
        "2026-11-25T10:00:00+08:00"
    )
    assert format_datetime(None) is None
