"""The one text cleaner of every intake path, and the redaction of what is published."""

import pytest

from chuangwen.core.errors import ServiceError
from chuangwen.core.privacy import public_coordinate, redact
from chuangwen.core.validation import clean_text, strip_controls


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("井盖\x00缺失", "井盖缺失"),
        ("\x01\x02\x1b[31m红色\x7f", "[31m红色"),
        ("C1\x85\x9f控制符", "C1控制符"),
        ("非字符\ufffe\uffff", "非字符"),
        ("孤立代理\ud800", "孤立代理"),
        ("换行\n与\t制表\r保留", "换行\n与\t制表\r保留"),
    ],
)
def test_controls_leave_and_line_breaks_stay_in_multiline_text(raw, kept):
    assert strip_controls(raw) == kept


def test_single_line_fields_get_spaces_for_breaks():
    assert strip_controls("北京北路\n23号\t门前", multiline=False) == "北京北路 23号 门前"


def test_clean_text_checks_after_cleaning():
    assert clean_text("  \x01井盖 ", field="d", label="描述", limit=10) == "井盖"
    with pytest.raises(ServiceError) as refused:
        clean_text("\x00\x01 ", field="d", label="描述", limit=10, required=True)
    assert refused.value.field == "d" and refused.value.message == "请填写描述。"
    with pytest.raises(ServiceError, match="不能超过 3 个字"):
        clean_text("四个字呀", field="d", label="描述", limit=3)
    assert clean_text(12, field="d", label="数", limit=5) == "12"
    assert clean_text(None, field="d", label="描述", limit=5) == ""


@pytest.mark.parametrize(
    ("text", "gone", "says"),
    [
        ("联系我13812345678", "13812345678", "[电话]"),
        ("电话 138 1234 5678 或 +86 139-1234-5678", "1234", "[电话]"),
        ("座机0719-8123456", "8123456", "[电话]"),
        ("身份证420302199001011234", "420302199001011234", "[身份证号]"),
        ("身份证号42030219900101123X", "42030219900101123X", "[身份证号]"),
        ("老身份证420302900101123", "420302900101123", "[身份证号]"),
        ("卡号 6222 0212 3456 7890 123", "6222", "[银行卡号]"),
        ("车牌鄂C12345乱停", "鄂C12345", "[车牌号]"),
        ("新能源鄂CD12345", "鄂CD12345", "[车牌号]"),
        ("小写鄂c·a1234也算", "鄂c·a1234", "[车牌号]"),
        ("人民北路25号3单元502室漏水", "25号3单元502室", "[门牌号]"),
        ("五堰街12号楼2单元301", "12号楼2单元301", "[门牌号]"),
        ("三单元五楼502室", "三单元五楼502室", "[门牌号]"),
        ("住3-2-501楼下", "3-2-501", "[门牌号]"),
        ("7楼702室的住户", "702室", "[门牌号]"),
        ("邮箱 li.xh@example.cn", "li.xh@example.cn", "[邮箱]"),
        ("姓名:李四,反映问题", "李四", "[姓名]"),
        ("我叫张三丰", "张三丰", "[姓名]"),
        ("王先生反映", "王先生", "某先生"),
    ],
)
def test_personal_data_is_redacted(text, gone, says):
    result = redact(text)
    assert gone not in result
    assert says in result


@pytest.mark.parametrize(
    "text",
    [
        "北京北路23号门前有占道经营,大约20个摊位",
        "2026-12-07 14:30 发现井盖缺失",
        "第二单元门口堆放垃圾",
        "人民公园东门,距离约300米",
        "12345 热线转来的问题",
    ],
)
def test_what_a_passer_by_sees_stays(text):
    assert redact(text) == text


def test_public_points_are_rounded_to_about_a_hundred_metres():
    assert public_coordinate(32.629876) == 32.63
    assert public_coordinate(110.798449) == 110.798
