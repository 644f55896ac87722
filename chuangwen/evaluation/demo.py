"""The demo city's evaluation data: a sample model-city framework, the point types with
their checklists, 300-odd points in the four urban districts, and more inspectors.

The framework is a *sample*: its ten dimensions are those of the 全国文明城市典范城市
测评体系, but the items, indicators, standards, points and the negative list below are
illustrative text written for the demo, not the official edition (which a city loads
through the framework import). Checklists and point names are likewise invented, in the
style of the checklists cities publish; the places are generated inside the demo grids.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from decimal import Decimal

import shapely
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from shapely.geometry import shape

from chuangwen.accounts.services import user_create
from chuangwen.cases.models import Category
from chuangwen.core.audit import audit
from chuangwen.core.xlsx import Sheet, write_workbook
from chuangwen.demo.city import URBAN_DISTRICTS
from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.models import Pairing, Unit
from chuangwen.org.services import membership_grant
from chuangwen.territory.choices import LandUse, Level
from chuangwen.territory.models import TerritoryNode
from chuangwen.territory.routing import invalidate, locate

from .choices import EntryLevel, FrameworkKind
from .models import ChecklistItem, Framework, FrameworkEntry, Point, PointType
from .services import (
    ENTRY_HEADERS,
    ENTRY_SHEET,
    NEGATIVE_HEADERS,
    NEGATIVE_SHEET,
    framework_import,
    point_create,
)

CYCLE_START = 2024
FRAMEWORK_NAME = "全国文明城市典范城市测评体系(演示样例)"
FRAMEWORK_NOTE = (
    "演示样例:十个测评项目与典范城市测评体系一致,其下的测评内容、指标、标准、分值和负面"
    "清单是为演示编写的示例,不是官方测评体系原文。正式使用前请导入官方版本。"
)

F, S, M, D = "实地考察", "问卷调查", "材料审核", "数据分析"

# 测评项目 → [(测评内容, [(indicator key, 测评指标, method, [(测评标准, method, points)])])].
# The key names the indicator checklists point at (None: no checklist item checks it).
FRAMEWORK = (
    (
        "理想信念坚定",
        [
            (
                "学习宣传贯彻党的创新理论",
                [
                    (
                        None,
                        "理论学习常态化制度化",
                        M,
                        [
                            ("党委(党组)理论学习中心组按计划开展专题学习,每年不少于 12 次", M, 3),
                            ("基层党组织落实“三会一课”制度,学习记录完整", M, 2),
                        ],
                    ),
                    (
                        "practice",
                        "理论宣讲深入基层",
                        F,
                        [
                            ("组建百姓宣讲团,在社区、企业、学校开展对象化分众化宣讲", M, 2),
                            ("新时代文明实践站(所)定期开展理论宣讲,有活动记录和影像资料", F, 2),
                        ],
                    ),
                ],
            ),
            (
                "培育和践行社会主义核心价值观",
                [
                    (
                        "ads",
                        "公益广告宣传",
                        F,
                        [
                            (
                                "主次干道、公共场所、交通站点设置社会主义核心价值观公益广告,数量充足、内容规范",
                                F,
                                3,
                            ),
                            ("公益广告画面整洁,无破损、褪色或过时内容", F, 2),
                        ],
                    ),
                    (
                        None,
                        "群众知晓认同",
                        S,
                        [("市民对社会主义核心价值观基本内容的知晓率达到 90% 以上", S, 3)],
                    ),
                ],
            ),
        ],
    ),
    (
        "文明程度领先",
        [
            (
                "公共场所文明秩序",
                [
                    (
                        "public_order",
                        "公共场所秩序良好",
                        F,
                        [
                            ("公共场所无乱扔垃圾、随地吐痰、大声喧哗等不文明行为", F, 2),
                            ("公共场所落实控烟规定,禁烟标识醒目,无吸烟现象", F, 2),
                        ],
                    ),
                    (
                        "traffic",
                        "文明交通",
                        F,
                        [
                            ("机动车在斑马线前主动减速、礼让行人", F, 2),
                            ("行人、非机动车遵守交通信号,车辆规范停放", F, 2),
                        ],
                    ),
                ],
            ),
            (
                "窗口服务和诚信经营",
                [
                    (
                        "window",
                        "窗口单位优质服务",
                        F,
                        [
                            (
                                "服务窗口明示服务内容、办事流程和监督电话,工作人员挂牌上岗、文明用语",
                                F,
                                2,
                            ),
                            ("设置饮水、座椅、老花镜、无障碍通道等便民服务设施", F, 2),
                        ],
                    ),
                    (
                        "commerce",
                        "商业诚信经营",
                        F,
                        [("商家明码标价,计量器具检定合格,农贸市场设置公平秤", F, 2)],
                    ),
                ],
            ),
            (
                "志愿服务",
                [
                    (
                        None,
                        "志愿服务广泛开展",
                        D,
                        [
                            ("注册志愿者占城市常住人口的比例达到 18% 以上", D, 2),
                            ("窗口单位、公共场所规范设置志愿服务站点", F, 1),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "经济高质发展",
        [
            (
                "创新驱动发展",
                [
                    (
                        None,
                        "科技创新能力",
                        D,
                        [("全社会研发经费投入强度不低于全国平均水平", D, 2)],
                    ),
                    (
                        None,
                        "营商环境",
                        S,
                        [
                            ("市场主体对营商环境的满意度达到 90% 以上", S, 2),
                            ("企业开办时间压缩至 1 个工作日以内", D, 1),
                        ],
                    ),
                ],
            ),
            (
                "共享发展成果",
                [
                    (
                        None,
                        "城乡居民收入",
                        D,
                        [("城乡居民人均可支配收入增速不低于经济增速", D, 2)],
                    ),
                    (
                        None,
                        "就业和社会保障",
                        D,
                        [
                            ("城镇调查失业率控制在年度目标以内", D, 1),
                            ("零就业家庭动态清零", M, 1),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "生态文明良好",
        [
            (
                "城市环境卫生",
                [
                    (
                        "sanitation",
                        "市容环境整洁",
                        F,
                        [
                            ("道路、街巷路面干净,无暴露垃圾、无积存垃圾渣土", F, 3),
                            ("无乱堆乱放、乱吊乱挂、乱贴乱画", F, 2),
                        ],
                    ),
                    (
                        "toilet",
                        "公共厕所管理",
                        F,
                        [
                            ("公共厕所数量达标、布局合理、指示标识清晰", F, 1),
                            ("公共厕所干净无异味,设施完好,洗手液、手纸等用品齐全", F, 2),
                        ],
                    ),
                    (
                        "waste",
                        "生活垃圾分类",
                        F,
                        [("垃圾分类投放设施设置规范,分类标识清楚,垃圾日产日清", F, 2)],
                    ),
                ],
            ),
            (
                "生态环境质量",
                [
                    (
                        None,
                        "空气和水环境质量",
                        D,
                        [
                            ("城市空气质量优良天数比例达到省定目标", D, 2),
                            ("集中式饮用水水源地水质达标率 100%", D, 2),
                        ],
                    ),
                    (
                        "dust",
                        "扬尘污染防治",
                        F,
                        [
                            ("建筑工地落实围挡、覆盖、冲洗、湿法作业等扬尘防治措施", F, 2),
                            ("渣土运输车辆密闭运输,沿途无遗撒", F, 1),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "政治廉洁高效",
        [
            (
                "政务服务",
                [
                    (
                        "gov_service",
                        "政务服务便捷高效",
                        F,
                        [
                            ("政务服务中心实行一窗受理、集成服务,设置帮办代办窗口", F, 2),
                            ("政务服务事项网上可办率达到 90% 以上", D, 2),
                        ],
                    ),
                ],
            ),
            (
                "廉洁政治",
                [
                    (
                        None,
                        "作风建设",
                        M,
                        [("落实中央八项规定精神,持续整治形式主义、官僚主义", M, 2)],
                    ),
                    (
                        None,
                        "群众评价",
                        S,
                        [("群众对党风廉政建设的满意度逐年提升", S, 2)],
                    ),
                ],
            ),
        ],
    ),
    (
        "文化繁荣厚重",
        [
            (
                "公共文化服务",
                [
                    (
                        "culture",
                        "公共文化设施",
                        F,
                        [
                            ("图书馆、文化馆、博物馆免费开放,开放时间符合规定", F, 2),
                            ("公共文化设施设有公益广告和无障碍设施,环境整洁", F, 1),
                        ],
                    ),
                    (
                        None,
                        "群众文化活动",
                        M,
                        [("每年组织开展“我们的节日”等主题文化活动", M, 2)],
                    ),
                ],
            ),
            (
                "文化市场管理",
                [
                    (
                        "internet_cafe",
                        "网络文化与文化市场",
                        F,
                        [
                            ("互联网上网服务营业场所不接纳未成年人,落实实名登记", F, 2),
                            ("中小学校园周边 200 米范围内无网吧、游戏厅", F, 1),
                        ],
                    ),
                ],
            ),
            (
                "历史文化保护",
                [
                    (
                        None,
                        "文物和历史建筑保护",
                        M,
                        [("文物保护单位“四有”工作完成,历史建筑挂牌保护", M, 2)],
                    ),
                ],
            ),
        ],
    ),
    (
        "社会和谐稳定",
        [
            (
                "平安建设",
                [
                    (
                        None,
                        "社会治安",
                        S,
                        [("群众安全感达到 95% 以上", S, 2)],
                    ),
                    (
                        "safety",
                        "安全生产和消防安全",
                        F,
                        [("人员密集场所消防通道畅通,消防设施完好有效", F, 2)],
                    ),
                ],
            ),
            (
                "未成年人思想道德建设",
                [
                    (
                        "school",
                        "校园及周边环境",
                        F,
                        [
                            ("学校周边无占道经营、流动摊贩,上下学时段交通秩序良好", F, 2),
                            ("学校周边 200 米内无销售烟酒、不良出版物的摊点", F, 1),
                        ],
                    ),
                    (
                        None,
                        "关爱未成年人",
                        M,
                        [("乡村学校少年宫、青少年活动阵地正常运转", M, 1)],
                    ),
                ],
            ),
        ],
    ),
    (
        "治理效能提升",
        [
            (
                "城市管理精细化",
                [
                    (
                        "street_order",
                        "街面秩序规范",
                        F,
                        [
                            ("无占道经营、店外经营、流动摊贩", F, 2),
                            ("户外广告、门头招牌设置规范,无违规张贴小广告", F, 2),
                        ],
                    ),
                    (
                        "facilities",
                        "市政设施完好",
                        F,
                        [
                            ("道路平整,井盖、路灯、护栏、交通标志等设施完好", F, 2),
                            ("无障碍设施建设规范,盲道连续、无占用", F, 1),
                        ],
                    ),
                ],
            ),
            (
                "基层治理",
                [
                    (
                        "community",
                        "社区治理",
                        F,
                        [
                            ("社区(小区)环境整洁、车辆停放有序,物业管理规范", F, 2),
                            ("社区公示居民公约,设有新时代文明实践站和道德评议会", F, 1),
                        ],
                    ),
                    (
                        None,
                        "网格化管理",
                        D,
                        [("城市管理问题按时处置率达到 90% 以上", D, 2)],
                    ),
                ],
            ),
        ],
    ),
    (
        "群众高度认可",
        [
            (
                "群众满意度",
                [
                    (
                        None,
                        "创建工作满意度",
                        S,
                        [("市民对文明城市创建工作的支持率、满意度达到 90% 以上", S, 4)],
                    ),
                    (
                        None,
                        "创建知晓率",
                        S,
                        [("市民对文明城市创建的知晓率达到 95% 以上", S, 2)],
                    ),
                ],
            ),
            (
                "群众参与",
                [
                    (
                        None,
                        "市民参与创建",
                        D,
                        [
                            ("市民通过热线、平台反映问题的办结率达到 95% 以上", D, 2),
                            ("市民对问题处置结果的满意率逐年提升", S, 1),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "工作常态长效",
        [
            (
                "组织领导",
                [
                    (
                        None,
                        "创建工作机制",
                        M,
                        [
                            ("党委政府主要负责同志亲自抓,创建工作纳入年度目标考核", M, 2),
                            ("建立问题发现、交办、整改、复查的闭环工作机制", M, 2),
                        ],
                    ),
                ],
            ),
            (
                "常态长效",
                [
                    (
                        None,
                        "常态化测评督查",
                        M,
                        [("定期开展测评督查并通报排名,问题按期整改销号", M, 2)],
                    ),
                    (
                        None,
                        "创建经费保障",
                        M,
                        [("创建工作经费列入财政预算", M, 1)],
                    ),
                ],
            ),
            (
                "包联共建",
                [
                    (
                        None,
                        "单位包联社区",
                        M,
                        [("市直单位包联社区,定期下沉开展创建活动", M, 1)],
                    ),
                ],
            ),
        ],
    ),
)

# (编号, 情形, 扣分, 扣分对象)
NEGATIVES = (
    ("FM01", "发生严重刑事案件或重大安全生产事故,造成恶劣社会影响", 5, "区县"),
    ("FM02", "发生重大环境污染或生态破坏事件", 5, "区县"),
    ("FM03", "发生重大食品药品安全事件", 3, "区县"),
    ("FM04", "测评期间弄虚作假、干扰测评工作", 10, "区县"),
    ("FM05", "违反中央八项规定精神被上级通报", 3, "责任单位"),
    ("FM06", "不文明现象被中央或省级媒体曝光且未及时整改", 2, "街道"),
    ("FM07", "国测、省测反馈问题逾期未整改", 2, "社区"),
    ("FM08", "被列入失信联合惩戒对象名单", 2, "责任单位"),
)


def _framework_rows() -> tuple[list[tuple], dict[str, str]]:
    """The sample in the import's layout, and the code of each keyed indicator. Points
    sit on the standards; every level above carries the sum of its children."""
    rows: list[tuple] = []
    keys: dict[str, str] = {}
    for d, (dimension, items) in enumerate(FRAMEWORK, start=1):
        d_row = len(rows)
        rows.append(["测评项目", f"{d}", "", dimension, "", 0])
        for i, (item, indicators) in enumerate(items, start=1):
            i_code = f"{d}.{i}"
            i_row = len(rows)
            rows.append(["测评内容", i_code, f"{d}", item, "", 0])
            for n, (key, indicator, method, standards) in enumerate(indicators, start=1):
                n_code = f"{i_code}.{n}"
                if key:
                    keys[key] = n_code
                subtotal = sum(points for _, _, points in standards)
                rows.append(["测评指标", n_code, i_code, indicator, method, subtotal])
                for s, (text, s_method, points) in enumerate(standards, start=1):
                    rows.append(["测评标准", f"{n_code}.{s}", n_code, text, s_method, points])
                rows[i_row][5] += subtotal
            rows[d_row][5] += rows[i_row][5]
    return [tuple(r) for r in rows], keys


def sample_framework_workbook() -> bytes:
    rows, _ = _framework_rows()
    return write_workbook(
        [
            Sheet(ENTRY_SHEET, ENTRY_HEADERS, rows),
            Sheet(NEGATIVE_SHEET, NEGATIVE_HEADERS, NEGATIVES),
        ]
    )


def seed_framework(*, stdout) -> Framework:
    """The sample model-city framework (2024—2026), loaded through the framework import
    as the system; on a database that has it, nothing changes."""
    existing = Framework.objects.filter(
        kind=FrameworkKind.MODEL_CITY, cycle_start=CYCLE_START
    ).first()
    if existing is not None:
        return existing
    upload = io.BytesIO(sample_framework_workbook())
    upload.name = "典范城市测评体系演示样例.xlsx"
    with transaction.atomic():
        report = framework_import(
            upload=upload,
            actor=None,
            kind=FrameworkKind.MODEL_CITY,
            name=FRAMEWORK_NAME,
            cycle_start=CYCLE_START,
            note=FRAMEWORK_NOTE,
        )
        if not report.applied or report.bad:
            raise RuntimeError("演示测评体系未能导入:\n" + report.as_text())
        framework = Framework.objects.get(kind=FrameworkKind.MODEL_CITY, cycle_start=CYCLE_START)
    levels = dict(
        FrameworkEntry.objects.filter(framework=framework)
        .values("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    stdout.write(
        f"测评体系:{framework},测评项目 {levels.get(EntryLevel.DIMENSION, 0)} 个、"
        f"测评指标 {levels.get(EntryLevel.INDICATOR, 0)} 个、测评标准 "
        f"{levels.get(EntryLevel.STANDARD, 0)} 条,负面清单 {len(NEGATIVES)} 条"
    )
    return framework


# -- point types and their checklists ----------------------------------------------------------
# code: (name, description, [(分组, 检查内容, 分值, 每处扣分, 立案类别, 须拍照, 可不适用, 指标)])
# One checklist item per line: the table reads as the table it is.
# fmt: off
POINT_TYPES: dict[str, tuple[str, str, list[tuple]]] = {
    "ROAD": (
        "主次干道",
        "城市主干道、次干道的路段",
        [
            ("市容环境", "路面干净,无暴露垃圾、无积存垃圾渣土", 10, 2, "E0102", True, False, "sanitation"),
            ("市容环境", "无乱堆物堆料、乱吊挂晾晒", 5, 1, "E0109", True, False, "sanitation"),
            ("市容秩序", "无占道经营、店外经营、流动摊贩", 10, 2, "E0502", True, False, "street_order"),
            ("市容秩序", "无违规张贴、散发小广告", 5, 1, "E0201", True, False, "street_order"),
            ("市容秩序", "门头招牌、户外广告牌完好规范,无破损缺字", 5, 1, "E0205", True, False, "street_order"),
            ("设施完好", "井盖、雨水箅子齐全完好,无缺失移位", 6, 2, "B0102", True, False, "facilities"),
            ("设施完好", "路灯、护栏、交通标志牌完好", 5, 1, "B0110", True, False, "facilities"),
            ("设施完好", "盲道连续,无占用、无破损", 4, 1, "B0209", True, False, "facilities"),
            ("交通秩序", "机动车、非机动车规范停放", 6, 1, "E0505", True, False, "traffic"),
            ("公益宣传", "每 500 米至少设置 1 处社会主义核心价值观公益广告", 6, 2, "W0201", True, False, "ads"),
        ],
    ),
    "LANE": (
        "背街小巷",
        "居民区内的街巷、里弄",
        [
            ("环境卫生", "路面无暴露垃圾、无卫生死角", 10, 2, "E0102", True, False, "sanitation"),
            ("环境卫生", "垃圾桶(箱)完好加盖,周边干净", 5, 1, "B0304", True, False, "waste"),
            ("环境卫生", "无乱堆物堆料、乱吊挂晾晒", 6, 1, "E0109", True, False, "sanitation"),
            ("环境卫生", "无乱涂乱画、乱贴小广告", 6, 1, "E0201", True, False, "street_order"),
            ("街巷秩序", "无私搭乱建", 8, 4, "E0101", True, False, "street_order"),
            ("街巷秩序", "非机动车规范停放,不堵塞通道", 5, 1, "E0505", True, False, "traffic"),
            ("设施完好", "照明设施完好,夜间有照明", 5, 2, "W0404", True, False, "facilities"),
            ("设施完好", "路面平整,井盖完好无缺失", 5, 2, "B0103", True, False, "facilities"),
            ("宣传氛围", "设置公益广告或文明宣传内容", 4, 2, "W0201", True, True, "ads"),
        ],
    ),
    "COMMUNITY": (
        "社区(小区)",
        "居民小区及社区公共区域",
        [
            ("环境卫生", "小区道路、楼道干净,无暴露垃圾", 8, 2, "E0102", True, False, "community"),
            ("环境卫生", "垃圾分类投放设施规范,分类标识清楚", 6, 2, "B0303", True, False, "waste"),
            ("环境卫生", "楼道无乱堆放,无废弃家具杂物", 5, 1, "E0107", True, False, "community"),
            ("小区秩序", "车辆停放有序,不占用消防通道", 6, 2, "E0504", True, False, "safety"),
            ("小区秩序", "无私搭乱建、毁绿种菜", 6, 3, "E0101", True, False, "community"),
            ("宣传氛围", "设有社会主义核心价值观公益广告", 6, 2, "W0201", True, False, "ads"),
            ("宣传氛围", "宣传栏内容及时更新,公示居民公约", 4, 2, "B0503", True, False, "community"),
            ("设施完好", "健身器材完好、安全", 4, 1, "B0601", True, True, "facilities"),
            ("设施完好", "无障碍坡道、扶手完好,无占用", 4, 1, "W0401", True, True, "facilities"),
            ("文明行为", "遛犬牵绳,及时清理犬粪", 3, 1, "W0105", False, False, "public_order"),
        ],
    ),
    "MARKET": (
        "农贸市场",
        "农贸市场、菜市场",
        [
            ("公益宣传", "设置公益广告不少于 5 处", 6, 2, "W0201", True, False, "ads"),
            ("公益宣传", "其中社会主义核心价值观公益广告不少于 2 处", 4, 2, "W0201", True, False, "ads"),
            ("诚信经营", "设置公平秤,计量器具检定合格", 6, 3, "W0403", True, False, "commerce"),
            ("诚信经营", "商品明码标价,价签规范", 4, 1, "W0403", True, False, "commerce"),
            ("环境卫生", "地面干净,无污水、无暴露垃圾", 8, 2, "E0102", True, False, "sanitation"),
            ("环境卫生", "垃圾桶加盖,垃圾日产日清", 5, 1, "B0304", True, False, "waste"),
            ("环境卫生", "市场公厕干净无异味,设施完好", 6, 2, "W0402", True, False, "toilet"),
            ("市场秩序", "无占道经营、场外摆摊", 8, 2, "E0502", True, False, "street_order"),
            ("市场秩序", "无乱贴小广告", 4, 1, "E0201", True, False, "street_order"),
            ("安全管理", "消防通道畅通,消防栓完好可用", 4, 2, "B0109", True, False, "safety"),
        ],
    ),
    "STREET": (
        "商业大街",
        "商业步行街、特色街区",
        [
            ("市容秩序", "无店外经营、占道经营", 10, 2, "E0502", True, False, "street_order"),
            ("门前三包", "门前卫生干净,无垃圾污水", 6, 1, "W0301", True, False, "sanitation"),
            ("门前三包", "门前三包责任牌悬挂规范", 4, 1, "W0304", True, False, "street_order"),
            ("广告招牌", "门头招牌规范美观,无破损、缺字", 5, 1, "E0205", True, False, "street_order"),
            ("广告招牌", "户外电子屏按比例播放公益广告", 4, 2, "W0203", True, True, "ads"),
            ("宣传氛围", "设置社会主义核心价值观公益广告", 5, 2, "W0201", True, False, "ads"),
            ("街面秩序", "机动车、非机动车规范停放", 6, 1, "E0504", True, False, "traffic"),
            ("文明行为", "无乱扔垃圾、随地吐痰等不文明行为", 4, 1, "W0101", False, False, "public_order"),
            ("设施完好", "垃圾箱完好、清洁", 4, 1, "B0304", True, False, "waste"),
        ],
    ),
    "PARK": (
        "公园广场",
        "城市公园、游园和广场",
        [
            ("环境卫生", "地面、草坪干净,无暴露垃圾", 8, 2, "E0106", True, False, "sanitation"),
            ("环境卫生", "水体清洁,无漂浮物", 4, 2, "E0105", True, True, "sanitation"),
            ("园林绿化", "绿地、树木养护良好,无毁绿现象", 5, 2, "B0405", True, False, "sanitation"),
            ("设施完好", "座椅、健身器材、照明设施完好", 5, 1, "B0407", True, False, "facilities"),
            ("设施完好", "公厕干净,指示标识清晰", 5, 2, "B0301", True, False, "toilet"),
            ("宣传氛围", "设置公益广告和文明提示牌", 6, 2, "W0201", True, False, "ads"),
            ("园区秩序", "无占道经营、流动摊贩", 5, 2, "E0501", True, False, "street_order"),
            ("文明行为", "遛犬牵绳,无乱扔垃圾等不文明行为", 4, 1, "W0105", False, False, "public_order"),
        ],
    ),
    "HOSPITAL": (
        "医院",
        "各级医院和社区卫生服务中心",
        [
            ("公益宣传", "门诊大厅、候诊区设置公益广告", 6, 2, "W0201", True, False, "ads"),
            ("公益宣传", "电子屏按比例播放公益广告", 4, 2, "W0203", True, True, "ads"),
            ("便民服务", "设置便民服务台,提供轮椅、饮水、老花镜等", 5, 2, "W0405", True, False, "window"),
            ("便民服务", "无障碍通道、无障碍卫生间完好可用", 5, 2, "W0401", True, False, "window"),
            ("环境卫生", "院内及门前环境整洁,无暴露垃圾", 6, 2, "E0102", True, False, "sanitation"),
            ("环境卫生", "卫生间干净无异味,用品齐全", 5, 2, "W0402", True, False, "toilet"),
            ("就医秩序", "院内禁烟,禁烟标识醒目,无吸烟现象", 5, 1, "W0106", True, False, "public_order"),
            ("就医秩序", "门前车辆停放有序,无占道经营", 6, 2, "E0504", True, False, "traffic"),
            ("安全管理", "消防通道畅通,消防设施完好", 4, 2, "B0109", True, False, "safety"),
        ],
    ),
    "SCHOOL": (
        "学校周边",
        "中小学、幼儿园校门周边 200 米",
        [
            ("周边秩序", "校门周边无占道经营、流动摊贩", 8, 2, "E0501", True, False, "school"),
            ("周边秩序", "上下学时段交通秩序良好,行人不闯红灯", 6, 2, "W0103", True, False, "school"),
            ("周边秩序", "校门口机动车不乱停乱放", 5, 1, "E0504", True, False, "school"),
            ("周边环境", "200 米内无销售烟酒、不良出版物的摊点", 5, 2, "E0501", True, False, "school"),
            ("周边环境", "学校周边路面干净,无暴露垃圾", 6, 2, "E0102", True, False, "sanitation"),
            ("宣传氛围", "校园周边设置社会主义核心价值观公益广告", 5, 2, "W0201", True, False, "ads"),
            ("设施完好", "交通标志、减速带、护栏完好", 5, 1, "B0203", True, False, "facilities"),
            ("周边环境", "无乱贴小广告", 4, 1, "E0201", True, False, "street_order"),
        ],
    ),
    "LIBRARY": (
        "图书馆/文化馆",
        "图书馆、文化馆、博物馆和综合文化站",
        [
            ("开放服务", "按公示时间免费开放,开放时间醒目公示", 6, 3, "W0405", True, False, "culture"),
            ("宣传氛围", "馆内外设置公益广告", 5, 2, "W0201", True, False, "ads"),
            ("便民服务", "设有无障碍设施、饮水、座椅等便民设施", 5, 2, "W0401", True, False, "culture"),
            ("环境卫生", "馆内外干净整洁,无暴露垃圾", 5, 2, "E0102", True, False, "culture"),
            ("环境卫生", "卫生间干净,用品齐全", 4, 2, "W0402", True, False, "toilet"),
            ("场馆秩序", "馆内禁烟,无吸烟现象", 4, 1, "W0106", True, False, "public_order"),
            ("安全管理", "消防通道畅通,应急疏散标识清晰", 4, 2, "B0109", True, False, "safety"),
            ("场馆秩序", "门前车辆停放有序", 4, 1, "E0505", True, False, "traffic"),
        ],
    ),
    "NETCAFE": (
        "网吧",
        "互联网上网服务营业场所",
        [
            ("经营规范", "入口处醒目张贴“未成年人禁止入内”标志", 6, 3, "W0201", True, False, "internet_cafe"),
            ("宣传氛围", "场内设置公益广告,电脑开机画面播放公益广告", 5, 2, "W0203", True, False, "ads"),
            ("场所秩序", "场内禁烟,禁烟标识醒目,无吸烟现象", 6, 2, "W0106", True, False, "public_order"),
            ("安全管理", "安全出口、疏散通道畅通,应急照明完好", 6, 3, "B0109", True, False, "safety"),
            ("门前三包", "门前卫生干净", 4, 1, "W0301", True, False, "sanitation"),
            ("门前三包", "门前无乱堆乱放,车辆停放有序", 4, 1, "W0302", True, False, "street_order"),
            ("门前三包", "门前三包责任牌悬挂规范", 3, 1, "W0304", True, False, "street_order"),
            ("广告招牌", "门头招牌规范完好", 3, 1, "E0205", True, False, "street_order"),
        ],
    ),
    "STATION": (
        "车站",
        "火车站、客运站和公交枢纽站",
        [
            ("宣传氛围", "候车厅、站前广场设置公益广告,电子屏播放公益广告", 6, 2, "W0201", True, False, "ads"),
            ("环境卫生", "候车区、站前广场干净,无暴露垃圾", 6, 2, "E0102", True, False, "sanitation"),
            ("环境卫生", "公厕干净无异味,用品齐全", 5, 2, "W0402", True, False, "toilet"),
            ("站前秩序", "站前无拉客揽客、占道经营", 6, 2, "E0501", True, False, "street_order"),
            ("站前秩序", "车辆停放有序,出租车规范候客", 5, 1, "E0504", True, False, "traffic"),
            ("便民服务", "设置问询台、无障碍设施和母婴室", 5, 2, "W0401", True, False, "window"),
            ("候车秩序", "候车区禁烟,无吸烟现象", 4, 1, "W0106", True, False, "public_order"),
            ("设施完好", "公交站亭、导向标志完好", 4, 1, "B0202", True, False, "facilities"),
            ("便民服务", "设置志愿服务站点,有人值守", 3, 1, "W0405", True, True, "window"),
        ],
    ),
    "SITE": (
        "建筑工地",
        "在建房屋建筑和市政工程工地",
        [
            ("围挡管理", "施工围挡连续、牢固、整洁", 6, 2, "E0305", True, False, "dust"),
            ("围挡管理", "围挡设置社会主义核心价值观公益广告", 6, 2, "W0201", True, False, "ads"),
            ("扬尘防治", "裸土、易扬尘物料覆盖到位", 6, 2, "E0302", True, False, "dust"),
            ("扬尘防治", "出入口设置车辆冲洗设施,车辆冲洗干净出场", 5, 2, "E0302", True, False, "dust"),
            ("扬尘防治", "渣土车辆密闭运输,出入口及周边道路无遗撒", 6, 2, "E0303", True, False, "dust"),
            ("文明施工", "夜间无违规施工扰民", 4, 2, "E0301", False, True, "dust"),
            ("文明施工", "无占道施工、材料占道堆放", 5, 2, "E0304", True, False, "street_order"),
            ("文明施工", "工地出入口路面干净", 4, 1, "E0104", True, False, "sanitation"),
        ],
    ),
    "GOVSVC": (
        "政务服务中心",
        "市、区政务服务中心和街道便民服务中心",
        [
            ("窗口服务", "窗口明示办事指南、办事流程和监督电话", 5, 2, "W0405", True, False, "gov_service"),
            ("窗口服务", "设置帮办代办和“办不成事”反映窗口", 5, 2, "W0405", True, False, "gov_service"),
            ("便民服务", "提供饮水、座椅、老花镜、充电等便民设施", 5, 2, "W0405", True, False, "window"),
            ("便民服务", "无障碍通道、无障碍卫生间完好", 5, 2, "W0401", True, False, "window"),
            ("宣传氛围", "大厅设置公益广告,电子屏播放公益广告", 5, 2, "W0201", True, False, "ads"),
            ("环境卫生", "大厅及卫生间干净整洁", 5, 2, "W0402", True, False, "toilet"),
            ("大厅秩序", "大厅禁烟,无吸烟现象", 4, 1, "W0106", True, False, "public_order"),
            ("大厅秩序", "门前车辆停放有序", 4, 1, "E0504", True, False, "traffic"),
            ("志愿服务", "设置志愿服务岗,有人值守", 3, 1, "W0405", True, False, "window"),
        ],
    ),
    "TOILET": (
        "公共厕所",
        "独立式和附属式公共厕所",
        [
            ("设施完好", "公厕指示牌规范醒目", 4, 1, "B0302", True, False, "toilet"),
            ("保洁管理", "地面、便器干净,无异味", 8, 2, "B0301", True, False, "toilet"),
            ("保洁管理", "洗手液、手纸等用品齐全", 5, 1, "W0402", True, False, "toilet"),
            ("设施完好", "照明、通风、冲水设施完好", 5, 2, "B0301", True, False, "toilet"),
            ("设施完好", "设置第三卫生间或无障碍厕位", 4, 2, "W0401", True, True, "toilet"),
            ("保洁管理", "公示开放时间、保洁责任人和监督电话", 3, 1, "W0402", True, False, "toilet"),
            ("周边环境", "周边无暴露垃圾、乱堆乱放", 4, 1, "E0102", True, False, "sanitation"),
            ("宣传氛围", "张贴文明如厕提示或公益广告", 3, 1, "W0201", True, False, "ads"),
        ],
    ),
    "WINDOW": (
        "窗口单位",
        "供水、供电、燃气、通信、公交等营业服务网点",
        [
            ("窗口服务", "明示服务项目、收费标准和监督电话", 5, 2, "W0405", True, False, "window"),
            ("便民服务", "设置便民服务台,提供饮水、座椅、老花镜", 5, 2, "W0405", True, False, "window"),
            ("便民服务", "无障碍通道完好", 4, 2, "W0401", True, False, "window"),
            ("宣传氛围", "电子屏按比例播放公益广告", 5, 2, "W0203", True, True, "ads"),
            ("宣传氛围", "营业场所设置社会主义核心价值观公益广告", 4, 2, "W0201", True, False, "ads"),
            ("环境卫生", "营业厅内外干净整洁", 4, 1, "W0301", True, False, "sanitation"),
            ("营业秩序", "营业场所禁烟,无吸烟现象", 3, 1, "W0106", True, False, "public_order"),
            ("门前秩序", "门前车辆停放有序", 4, 1, "E0505", True, False, "traffic"),
            ("门前秩序", "门前三包责任牌悬挂规范", 3, 1, "W0304", True, False, "street_order"),
        ],
    ),
    "CROSSING": (
        "交通路口",
        "主要道路交叉口",
        [
            ("交通设施", "交通信号灯运行正常", 6, 3, "B0204", True, False, "facilities"),
            ("交通设施", "交通标志、标线清晰完好", 5, 1, "B0203", True, False, "facilities"),
            ("交通设施", "护栏、隔离墩完好", 4, 1, "B0205", True, False, "facilities"),
            ("文明交通", "机动车在斑马线前礼让行人", 6, 2, "W0104", True, False, "traffic"),
            ("文明交通", "行人、非机动车不闯红灯", 6, 2, "W0103", True, False, "traffic"),
            ("文明交通", "高峰时段设文明交通劝导岗", 4, 2, "W0103", True, True, "traffic"),
            ("路口秩序", "路口无占道经营、乱停车", 5, 1, "E0504", True, False, "traffic"),
            ("宣传氛围", "设置文明交通公益广告", 4, 2, "W0201", True, False, "ads"),
            ("环境卫生", "路口及周边路面干净", 4, 1, "E0104", True, False, "sanitation"),
        ],
    ),
    "MALL": (
        "商场超市",
        "大型商场、购物中心和超市",
        [
            ("宣传氛围", "设置公益广告,电子屏按比例播放公益广告", 6, 2, "W0203", True, False, "ads"),
            ("诚信经营", "商品明码标价,设置公平秤", 5, 2, "W0403", True, False, "commerce"),
            ("便民服务", "设置无障碍通道、母婴室和便民服务台", 5, 2, "W0401", True, False, "window"),
            ("环境卫生", "卫生间干净,用品齐全", 5, 2, "W0402", True, False, "toilet"),
            ("门前三包", "门前广场干净,无暴露垃圾", 5, 1, "W0301", True, False, "sanitation"),
            ("门前秩序", "门前车辆有序停放", 5, 1, "E0505", True, False, "traffic"),
            ("安全管理", "消防通道畅通,安全出口标识清晰", 5, 2, "B0109", True, False, "safety"),
            ("场内秩序", "室内禁烟,无吸烟现象", 4, 1, "W0106", True, False, "public_order"),
            ("门前秩序", "门前无占道促销、乱设摊点", 4, 1, "E0502", True, False, "street_order"),
        ],
    ),
    "HOTEL": (
        "宾馆酒店",
        "宾馆、酒店和旅馆",
        [
            ("宣传氛围", "大堂设置公益广告", 5, 2, "W0201", True, False, "ads"),
            ("诚信经营", "前台明示服务项目和价格", 4, 2, "W0403", True, False, "commerce"),
            ("便民服务", "设置无障碍客房或无障碍通道", 4, 2, "W0401", True, True, "window"),
            ("环境卫生", "大堂、公共卫生间干净", 5, 2, "W0402", True, False, "toilet"),
            ("场所秩序", "公共区域禁烟,无吸烟现象", 4, 1, "W0106", True, False, "public_order"),
            ("安全管理", "消防通道畅通,张贴应急疏散图", 5, 2, "B0109", True, False, "safety"),
            ("门前秩序", "门前车辆停放有序", 4, 1, "E0504", True, False, "traffic"),
            ("门前三包", "门前卫生干净,三包责任牌悬挂规范", 4, 1, "W0304", True, False, "street_order"),
            ("广告招牌", "门头招牌完好规范", 3, 1, "E0205", True, False, "street_order"),
        ],
    ),
    "PRACTICE": (
        "新时代文明实践站",
        "社区(村)新时代文明实践站",
        [
            ("阵地建设", "站点标识牌醒目规范", 5, 2, "B0503", True, False, "practice"),
            ("阵地建设", "公示工作制度、活动计划和志愿服务项目", 4, 2, "B0503", True, False, "practice"),
            ("宣传氛围", "宣传栏内容及时更新", 4, 1, "B0503", True, False, "practice"),
            ("宣传氛围", "设置社会主义核心价值观公益广告", 5, 2, "W0201", True, False, "ads"),
            ("活动开展", "每月开展理论宣讲、志愿服务活动,记录和影像资料齐全", 5, 2, "B0503", True, False, "practice"),
            ("志愿服务", "设置志愿服务岗,有人值守", 4, 2, "W0405", True, False, "practice"),
            ("环境卫生", "站内外干净整洁", 4, 1, "E0102", True, False, "sanitation"),
            ("设施完好", "无障碍设施、便民设施完好", 3, 1, "W0401", True, True, "facilities"),
            ("周边环境", "周边无乱贴小广告", 3, 1, "E0201", True, False, "street_order"),
        ],
    ),
}
# fmt: on


def seed_point_types(*, stdout) -> dict[str, PointType]:
    """The 19 point types and their checklists; each item opens a case in a category of
    the demo catalogue when it fails, and points at its indicator in the sample framework
    when that is loaded. On a database that has point types, nothing changes."""
    if PointType.objects.exists():
        return {t.code: t for t in PointType.objects.all()}
    codes = {item[4] for _, _, items in POINT_TYPES.values() for item in items}
    categories = {c.code: c for c in Category.objects.filter(code__in=codes, is_active=True)}
    missing = sorted(codes - set(categories))
    if missing:
        raise RuntimeError(f"演示案件类别缺少 {'、'.join(missing)}:请先加载案件类别。")
    _, keys = _framework_rows()
    framework = Framework.objects.filter(
        kind=FrameworkKind.MODEL_CITY, cycle_start=CYCLE_START
    ).first()
    indicators = (
        {
            e.code: e
            for e in FrameworkEntry.objects.filter(
                framework=framework, level=EntryLevel.INDICATOR, code__in=keys.values()
            )
        }
        if framework
        else {}
    )
    types: dict[str, PointType] = {}
    items = linked = 0
    with transaction.atomic():
        for position, (code, (name, description, checklist)) in enumerate(POINT_TYPES.items()):
            point_type = PointType.objects.create(
                code=code, name=name, description=description, position=position
            )
            types[code] = point_type
            made = ChecklistItem.objects.bulk_create(
                ChecklistItem(
                    point_type=point_type,
                    section=section,
                    position=i,
                    text=text,
                    indicator=indicators.get(keys[key]),
                    max_points=Decimal(most),
                    deduction=Decimal(each),
                    category=categories[category],
                    evidence_required=evidence,
                    na_allowed=na,
                )
                for i, (section, text, most, each, category, evidence, na, key) in enumerate(
                    checklist, start=1
                )
            )
            items += len(made)
            linked += sum(1 for m in made if m.indicator_id)
        audit(
            actor=None,
            action="evaluation.point_types_seed",
            object_type=PointType._meta.label_lower,
            summary=f"演示点位类型 {len(types)} 类,检查项 {items} 条",
            data={"types": list(types), "items": items, "linked": linked},
        )
    stdout.write(f"点位类型:{len(types)} 类,检查项 {items} 条(对应测评指标 {linked} 条)")
    return types


# -- points ------------------------------------------------------------------------------------
# How many points of each type the demo city has, spread over the urban districts by their
# number of grids; and the land uses each type is most likely to stand on.
QUOTAS = {
    "ROAD": 40,
    "LANE": 40,
    "COMMUNITY": 50,
    "MARKET": 16,
    "STREET": 12,
    "PARK": 14,
    "HOSPITAL": 10,
    "SCHOOL": 20,
    "LIBRARY": 6,
    "NETCAFE": 10,
    "STATION": 8,
    "SITE": 12,
    "GOVSVC": 6,
    "TOILET": 24,
    "WINDOW": 12,
    "CROSSING": 20,
    "MALL": 12,
    "HOTEL": 10,
    "PRACTICE": 20,
}
RES, COM, IND, PUB, EDU, GRN, TRA = (
    LandUse.RESIDENTIAL,
    LandUse.COMMERCIAL,
    LandUse.INDUSTRIAL,
    LandUse.PUBLIC_SERVICE,
    LandUse.EDUCATION,
    LandUse.GREEN,
    LandUse.TRANSPORT,
)
LAND_USES = {
    "ROAD": (TRA, COM, RES),
    "LANE": (RES,),
    "COMMUNITY": (RES,),
    "MARKET": (COM, RES),
    "STREET": (COM,),
    "PARK": (GRN,),
    "HOSPITAL": (PUB,),
    "SCHOOL": (EDU,),
    "LIBRARY": (PUB, EDU),
    "NETCAFE": (COM, RES),
    "STATION": (TRA,),
    "SITE": (IND, RES),
    "GOVSVC": (PUB,),
    "TOILET": (GRN, COM, TRA),
    "WINDOW": (COM, PUB),
    "CROSSING": (TRA, COM),
    "MALL": (COM,),
    "HOTEL": (COM,),
    "PRACTICE": (RES,),
}
# Who answers for each type of point that is neither a community's nor a street's.
COMMUNITY_TYPES = ("COMMUNITY", "LANE", "PRACTICE")
STREET_TYPES = ("ROAD", "STREET", "CROSSING")
DEPARTMENT_OF = {
    "MARKET": "十堰市市场监督管理局",
    "PARK": "十堰市园林局",
    "HOSPITAL": "十堰市卫生健康委员会",
    "SCHOOL": "十堰市教育局",
    "LIBRARY": "十堰市文化和旅游局",
    "NETCAFE": "十堰市文化和旅游局",
    "STATION": "十堰市交通运输局",
    "SITE": "十堰市住房和城乡建设局",
    "GOVSVC": "十堰市政务服务和大数据管理局",
    "TOILET": "十堰市城市管理综合服务中心",
    "MALL": "十堰市商务局",
    "HOTEL": "十堰市商务局",
}
# 窗口单位: the utilities' own service halls, each answered for by its company.
WINDOW_OWNERS = (
    ("十堰市水务集团有限公司", "水务集团{s}营业厅"),
    ("十堰市燃气有限公司", "燃气公司{s}服务网点"),
    ("国网湖北省电力有限公司十堰供电公司", "十堰供电公司{s}供电营业厅"),
    ("中国电信股份有限公司十堰分公司", "十堰电信{c}营业厅"),
    ("中国移动通信集团湖北有限公司十堰分公司", "十堰移动{c}营业厅"),
    ("十堰市公共交通集团有限公司", "公交集团{s}服务中心"),
)
MARKET_OWNER = "十堰市五堰农贸市场管理有限公司"
MARKET_OWNER_COMMUNITY = "420302003001"

ROADS = (
    "人民路",
    "北京路",
    "朝阳路",
    "五堰街",
    "公园路",
    "柳林路",
    "东岳路",
    "武当路",
    "浙江路",
    "上海路",
    "天津路",
    "重庆路",
    "广东路",
    "发展大道",
    "车城路",
    "东风大道",
    "汉江路",
    "大岭路",
    "火箭路",
    "白浪路",
    "沿江大道",
    "香港路",
    "江苏路",
    "湖北路",
    "紫荆路",
    "红卫路",
    "花果路",
    "东环路",
    "丹江路",
    "三堰路",
    "六堰路",
    "市府路",
)
ORDINALS = "一二三四五六七八九"
HOMES = ("花园", "家园", "新村", "雅苑", "华庭", "小区", "嘉园", "名邸")
NETCAFES = ("极速网咖", "星际网咖", "蓝海网咖", "天翼网咖", "电竞空间", "网鱼网咖")
MALLS = ("中百仓储", "武商量贩", "好邻居超市", "人民商场", "万联购物中心", "家家乐超市")
HOTELS = ("汉庭酒店", "如家酒店", "锦江之星", "维也纳酒店", "全季酒店", "城市便捷酒店")
CITY_HOSPITALS = ("十堰市人民医院", "十堰市太和医院", "国药东风总医院", "十堰市中医医院")
PARKS = ("人民公园", "四方山植物园", "百二河生态公园", "牛头山森林公园", "犟河生态公园")
STATIONS = ("十堰站", "十堰东站", "十堰客运中心站", "十堰汽车客运站")
# Names of each type: {d} district, {s} street, {c} community, {r} {r2} {r3} roads,
# {o} an ordinal, {h} a home name, {n} a net cafe, {m} a mall, {t} a hotel, {w} a unit.
NAME_TEMPLATES = {
    "ROAD": ("{r}({r2}—{r3})",),
    "LANE": ("{c}{o}巷", "{r}{o}巷", "{c}后街"),
    "COMMUNITY": ("{c}{h}", "{s}{h}"),
    "MARKET": ("{c}农贸市场", "{s}农贸市场", "{c}菜市场"),
    "STREET": ("{s}商业步行街", "{r}商业街", "{c}美食街"),
    "PARK": ("{park}", "{c}游园", "{s}文化广场", "{c}口袋公园"),
    "HOSPITAL": ("{hospital}", "{d}人民医院", "{d}中医医院", "{s}社区卫生服务中心"),
    "SCHOOL": ("{c}小学周边", "{s}中学周边", "{c}幼儿园周边", "{d}实验小学周边"),
    "LIBRARY": ("{d}图书馆", "{d}文化馆", "{s}综合文化站", "{c}图书分馆"),
    "NETCAFE": ("{n}({c}店)", "{n}({r}店)"),
    "STATION": ("{station}", "{s}公交枢纽站", "{c}公交首末站", "{d}客运站"),
    "SITE": ("{c}{h}项目工地", "{r}改造工程工地", "{s}安置房项目工地"),
    "GOVSVC": ("{d}政务服务中心", "{s}便民服务中心"),
    "TOILET": ("{r}公厕", "{c}公厕", "{s}{o}号公厕"),
    "WINDOW": ("{w}",),
    "CROSSING": ("{r}与{r2}交叉口",),
    "MALL": ("{m}({c}店)", "{m}({s}店)"),
    "HOTEL": ("{t}({c}店)", "{t}({r}店)"),
    "PRACTICE": ("{community}新时代文明实践站", "{c}{h}新时代文明实践点"),
}


@dataclass(frozen=True)
class PlannedPoint:
    code: str
    name: str
    type_code: str
    lat: float
    lng: float
    grid: str
    unit_id: int
    paired_unit_id: int | None
    address: str


@dataclass(frozen=True)
class _Grid:
    code: str
    district: str
    land_use: str
    geometry: dict
    community_id: int


def _apportion(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Largest remainders: the shares add up to ``total`` exactly."""
    whole = sum(weights.values())
    raw = {k: total * w / whole for k, w in weights.items()}
    shares = {k: int(v) for k, v in raw.items()}
    rest = total - sum(shares.values())
    for key in sorted(raw, key=lambda k: (shares[k] - raw[k], k))[:rest]:
        shares[key] += 1
    return shares


def _base(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _district_short(node: TerritoryNode) -> str:
    return "经开区" if node.code not in ("420302", "420303", "420304") else node.name


def _inside(geometry: dict, rng: random.Random) -> tuple[float, float]:
    polygon = shape(geometry)
    # Away from the edges: a point on a shared border would route to the neighbour.
    inner = polygon.buffer(-0.00005)
    target = inner if not inner.is_empty else polygon
    min_x, min_y, max_x, max_y = target.bounds
    for _ in range(500):
        x = round(rng.uniform(min_x, max_x), 6)
        y = round(rng.uniform(min_y, max_y), 6)
        if shapely.contains_xy(target, x, y):
            return y, x
    x, y = target.representative_point().coords[0]
    return round(y, 6), round(x, 6)


def plan_points(*, seed: int) -> list[PlannedPoint]:
    """Where the demo points go, what they are called and who answers for them: the same
    for the same seed and the same city."""
    rng = random.Random(seed)
    invalidate()
    districts = {
        n.code: n
        for n in TerritoryNode.objects.filter(level=Level.DISTRICT, code__in=URBAN_DISTRICTS)
    }
    grids: dict[str, list[_Grid]] = {code: [] for code in sorted(districts)}
    for code, path, land_use, geometry, parent_id in (
        TerritoryNode.objects.filter(level=Level.GRID, is_active=True)
        .order_by("code")
        .values_list("code", "path", "land_use", "geometry", "parent_id")
    ):
        district = path.split("/")[1] if path.count("/") > 1 else ""
        if district in grids and geometry:
            grids[district].append(_Grid(code, district, land_use, geometry, parent_id))
    nodes = {
        n.pk: n
        for n in TerritoryNode.objects.filter(
            level__in=(Level.STREET, Level.COMMUNITY),
            path__regex=r"^420300/(420302|420303|420304|420390)/",
        )
    }
    units = {
        (u.kind, u.territory_id): u.pk
        for u in Unit.objects.filter(
            kind__in=(UnitKind.COMMUNITY_COMMITTEE, UnitKind.STREET_OFFICE), is_active=True
        )
    }
    named = {u.name: u.pk for u in Unit.objects.filter(is_active=True)}
    today = timezone.localdate()
    paired: dict[int, int] = {}
    for territory_id, unit_id in (
        Pairing.objects.filter(starts_on__lte=today, ends_on__gte=today, unit__is_active=True)
        .order_by("unit__name", "pk")
        .values_list("territory_id", "unit_id")
    ):
        paired.setdefault(territory_id, unit_id)

    weights = {code: len(items) for code, items in grids.items() if items}
    per_type = {t: _apportion(q, weights) for t, q in QUOTAS.items()}
    used_names: set[str] = set()
    used_grids: set[str] = set()
    planned: list[PlannedPoint] = []
    market_done = False
    for district_code in sorted(weights):
        district = districts[district_code]
        pool = grids[district_code]
        number = 0
        for type_code in QUOTAS:
            for _ in range(per_type[type_code][district_code]):
                # The one market with its own management company sits in its community.
                special = type_code == "MARKET" and not market_done and MARKET_OWNER in named
                owner_grids = (
                    [g for g in pool if g.code.startswith(MARKET_OWNER_COMMUNITY)]
                    if special
                    else []
                )
                grid = (
                    rng.choice(owner_grids)
                    if owner_grids
                    else _pick_grid(pool, LAND_USES[type_code], used_grids, rng)
                )
                community = nodes[grid.community_id]
                street = nodes[community.parent_id]
                lat, lng = _placed(grid, rng)
                unit_id, name = _owner_and_name(
                    type_code, grid, district, street, community, units, named, rng, used_names
                )
                if owner_grids and "五堰农贸市场" not in used_names:
                    unit_id, name = named[MARKET_OWNER], "五堰农贸市场"
                    market_done = True
                used_names.add(name)
                used_grids.add(grid.code)
                number += 1
                planned.append(
                    PlannedPoint(
                        code=f"P{district_code}-{number:04d}",
                        name=name,
                        type_code=type_code,
                        lat=lat,
                        lng=lng,
                        grid=grid.code,
                        unit_id=unit_id,
                        paired_unit_id=paired.get(community.pk),
                        address=f"{district.name}{street.name}{community.name}",
                    )
                )
    return planned


def _pick_grid(pool: list[_Grid], uses: tuple[str, ...], used: set[str], rng) -> _Grid:
    fresh = [g for g in pool if g.code not in used]
    for candidates in (
        [g for g in fresh if g.land_use in uses],
        [g for g in fresh if g.land_use != LandUse.RURAL],
        fresh,
        pool,
    ):
        if candidates:
            return rng.choice(candidates)
    raise RuntimeError("演示城区没有单元网格:请先加载属地。")


def _placed(grid: _Grid, rng: random.Random) -> tuple[float, float]:
    """A spot inside the grid that the routing index also puts in that grid."""
    for _ in range(20):
        lat, lng = _inside(grid.geometry, rng)
        chain = locate(lng, lat)
        if chain is not None and chain.grid is not None and chain.grid.code == grid.code:
            return lat, lng
    raise RuntimeError(f"无法在网格 {grid.code} 内取点。")


def _owner_and_name(type_code, grid, district, street, community, units, named, rng, used):
    s = _base(street.name, ("街道", "片区", "镇", "乡"))
    c = _base(community.name, ("社区", "村"))
    roads = rng.sample(ROADS, 3)
    window_unit, window_name = rng.choice(WINDOW_OWNERS)
    words = {
        "d": _district_short(district),
        "s": s,
        "c": c,
        "community": community.name,
        "r": roads[0],
        "r2": roads[1],
        "r3": roads[2],
        "o": rng.choice(ORDINALS),
        "h": rng.choice(HOMES),
        "n": rng.choice(NETCAFES),
        "m": rng.choice(MALLS),
        "t": rng.choice(HOTELS),
        "w": window_name.format(s=s, c=c),
        "park": rng.choice(PARKS),
        "station": rng.choice(STATIONS),
        "hospital": rng.choice(CITY_HOSPITALS)
        if district.code in ("420302", "420303")
        else f"{_district_short(district)}人民医院",
    }
    templates = list(NAME_TEMPLATES[type_code])
    rng.shuffle(templates)
    name = next(
        (n for n in (t.format(**words) for t in templates) if n not in used),
        None,
    )
    if name is None:
        # Every pattern is taken: the community tells this one apart.
        name = f"{templates[0].format(**words)}({community.name})"
        n = 2
        while name in used:
            name = f"{templates[0].format(**words)}({community.name}{n})"
            n += 1
    if type_code in COMMUNITY_TYPES:
        unit_id = units.get((UnitKind.COMMUNITY_COMMITTEE, community.pk))
    elif type_code in STREET_TYPES:
        unit_id = units.get((UnitKind.STREET_OFFICE, street.pk))
    elif type_code == "WINDOW":
        unit_id = named.get(window_unit)
    else:
        unit_id = named.get(DEPARTMENT_OF[type_code])
    if unit_id is None:
        raise RuntimeError(f"找不到点位 {name} 的责任单位:请先加载单位。")
    return unit_id, name


def seed_points(*, stdout, seed: int) -> int:
    """The demo points, registered through ``point_create`` as the system. On a database
    that has points, nothing changes. Returns how many were created."""
    if Point.objects.exists():
        return 0
    types = {t.code: t.pk for t in PointType.objects.filter(is_active=True)}
    missing = sorted(set(QUOTAS) - set(types))
    if missing:
        raise RuntimeError(f"缺少点位类型 {'、'.join(missing)}:请先加载点位类型。")
    planned = plan_points(seed=seed)
    with transaction.atomic():
        for p in planned:
            point_create(
                code=p.code,
                name=p.name,
                point_type_id=types[p.type_code],
                lat=p.lat,
                lng=p.lng,
                unit_id=p.unit_id,
                paired_unit_id=p.paired_unit_id,
                address=p.address,
                actor=None,
            )
    by_district: dict[str, int] = {}
    for p in planned:
        district = p.code[1:7]
        by_district[district] = by_district.get(district, 0) + 1
    spread = "、".join(
        f"{name} {by_district.get(code, 0)} 个"
        for code, name in TerritoryNode.objects.filter(code__in=URBAN_DISTRICTS)
        .order_by("code")
        .values_list("code", "name")
    )
    stdout.write(f"测评点位:{len(planned)} 个({spread})")
    return len(planned)


# -- inspectors --------------------------------------------------------------------------------
INSPECTORS = (
    ("inspector2", "钱丽娟"),
    ("inspector3", "冯志刚"),
    ("inspector4", "邓晓红"),
    ("inspector5", "曹文杰"),
    ("inspector6", "彭雪梅"),
    ("inspector7", "田国庆"),
    ("inspector8", "蒋红霞"),
)


def seed_inspectors(*, password: str) -> list:
    """Seven more 测评员 at the city office, beside the demo's ``inspector``."""
    office = Unit.objects.get(kind=UnitKind.CITY_OFFICE)
    users = []
    with transaction.atomic():
        for username, full_name in INSPECTORS:
            user = user_create(
                username=username, password=password, full_name=full_name, actor=None
            )
            membership_grant(
                user=user, unit=office, role=Role.INSPECTOR, title="测评员", actor=None
            )
            users.append(user)
    return users
