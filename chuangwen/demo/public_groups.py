"""The report form's plain-language groups, built from whatever catalogue is loaded.

A 小类 joins every group one of whose words occurs in its own name or in its 大类's
name, so 道路积水 lands under 道路与井盖 and 乱扔垃圾 under both 环境卫生 and
不文明行为; what no group claims goes to 其他. The office edits the result in the admin.
"""

from __future__ import annotations

from chuangwen.catalog.models import Category, PublicGroup
from chuangwen.catalog.services import public_group_save

# (name, hint, words matched against the 小类 and 大类 names); empty words: the leftovers.
GROUPS = (
    (
        "环境卫生",
        "垃圾、脏乱、公厕、渣土扬尘、乱堆乱晒",
        ("垃圾", "不洁", "脏乱", "厕", "渣土", "扬尘", "遗撒", "废弃", "乱堆", "晾晒", "卫生"),
    ),
    (
        "道路与井盖",
        "井盖、路面塌陷、积水、路灯、交通设施",
        (
            "井盖",
            "箅子",
            "路面",
            "塌陷",
            "积水",
            "积雪",
            "盲道",
            "交通",
            "信号灯",
            "隔离墩",
            "路名牌",
            "天桥",
            "路灯",
            "照明",
            "水管",
            "下水道",
            "燃气管道",
            "掘路",
            "消防栓",
            "公交",
        ),
    ),
    (
        "违规广告与乱贴",
        "小广告、乱张贴、乱涂画、破损的广告牌匾",
        ("广告", "张贴", "招牌", "牌匾", "灯箱", "电子屏", "乱涂乱画", "宣传栏"),
    ),
    (
        "不文明行为",
        "乱扔垃圾、随地吐痰、闯红灯、遛狗不文明",
        ("不文明行为", "吐痰", "吸烟", "遛犬", "闯红灯", "礼让", "乱涂乱画"),
    ),
    (
        "园林绿化",
        "树木、绿地、花坛、绿化设施",
        ("园林绿化", "绿地", "树", "绿化", "花"),
    ),
    (
        "占道与停车",
        "占道经营、流动摊贩、乱停车、私搭乱建",
        ("占道", "停放", "停车", "游商", "无照经营", "烧烤", "街面秩序", "门前秩序", "私搭乱建"),
    ),
    ("其他", "以上都不是的问题", ()),
)


def seed_public_groups(*, stdout=None) -> bool:
    """Create the groups; on a database that has groups, change nothing (the office may
    have edited them). Returns whether anything was created."""
    if PublicGroup.objects.exists():
        return False
    minors = list(
        Category.objects.filter(parent__isnull=False, is_active=True)
        .select_related("parent")
        .order_by("code")
    )
    claimed: set[str] = set()
    created = 0
    for position, (name, hint, words) in enumerate(GROUPS, start=1):
        if words:
            codes = [
                m.code for m in minors if any(w in m.name or w in m.parent.name for w in words)
            ]
            claimed.update(codes)
        else:
            codes = [m.code for m in minors if m.code not in claimed]
        if not codes:
            continue
        public_group_save(
            actor=None, name=name, hint=hint, position=position * 10, category_codes=codes
        )
        created += 1
    if stdout is not None:
        stdout.write(f"随手拍问题分组:{created} 组")
    return created > 0
