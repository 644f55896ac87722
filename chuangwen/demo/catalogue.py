"""The demo city's case catalogue (案件类别与立结案标准) and routing rules.

Credits: the families, the 大类 and most 小类 names and their 2 + 2 digit codes follow
CJ/T 214-2007《数字化城市管理信息系统 管理部件和事件》and GB/T 30428《数字化城市管理
信息系统》; the letter in front (B 部件, E 事件, W 文明城市) is this project's. The
文明城市 family and the 小类 the standards do not list are local extensions modelled on
the 全国文明城市测评体系 checklists. Every 立案条件/结案条件 text and every time limit is an
illustrative local convention (of the kind a city's 立结案标准 publishes), not a quote
from a standard; a city edits them through the catalogue import.

Everything is created through ``chuangwen.catalog.services`` with ``actor=None`` (the
system), so the demo passes the same checks as a spreadsheet import.
"""

from __future__ import annotations

from chuangwen.catalog.choices import CategoryKind
from chuangwen.catalog.models import CaseStandard, Category, RoutingRule
from chuangwen.catalog.services import category_create, routing_rule_create, standard_create
from chuangwen.core.workcalendar import TimeType
from chuangwen.org.choices import UnitKind
from chuangwen.org.models import Unit
from chuangwen.territory.models import TerritoryNode

EH = TimeType.EMERGENCY_HOURS
WH = TimeType.WORK_HOURS
WD = TimeType.WORK_DAYS
ND = TimeType.NATURAL_DAYS

DEPT = UnitKind.MUNICIPAL_DEPARTMENT
ENT = UnitKind.ENTERPRISE
DISTRICT = UnitKind.DISTRICT_GOVERNMENT
STREET = UnitKind.STREET_OFFICE
COMMUNITY = UnitKind.COMMUNITY_COMMITTEE
POINT = UnitKind.POINT_OWNER


def _manhole(owner: str = ENT) -> list[tuple]:
    # Every lid type gets the same two conditions; a missing lid is a fall hazard, so its
    # clock runs through nights and holidays.
    return [
        (
            "井盖缺失、移位,存在安全隐患",
            EH,
            2,
            "井盖已补装或复位,平稳牢固,临时警示设施已撤除",
            owner,
        ),
        (
            "井盖破损、松动、响动,或与路面高差超过 2 厘米",
            WH,
            4,
            "井盖已更换或修复,与路面平顺、无响动",
            owner,
        ),
    ]


# (小类 2-digit code, name, [(立案条件, 时限类型, 处置时限, 结案条件, 责任单位类型), ...])
COMPONENTS = {
    ("01", "公用设施"): [
        ("01", "上水井盖", _manhole()),
        ("02", "污水井盖", _manhole()),
        ("03", "雨水井盖", _manhole()),
        ("04", "电力井盖", _manhole()),
        ("05", "通讯井盖", _manhole()),
        ("06", "燃气井盖", _manhole()),
        ("07", "热力井盖", _manhole()),
        (
            "08",
            "雨水箅子",
            [
                ("雨水箅子缺失、移位", EH, 2, "箅子已补装或复位", ENT),
                ("雨水箅子破损或被杂物堵塞", WH, 8, "箅子已更换或疏通,排水通畅", ENT),
            ],
        ),
        (
            "09",
            "消防栓",
            [
                ("消防栓损坏、漏水或被圈占遮挡", WH, 8, "消防栓已修复,周边无遮挡", ENT),
                ("消防栓缺失或被撞倒", EH, 4, "已恢复安装并可正常出水", ENT),
            ],
        ),
        (
            "10",
            "路灯",
            [
                ("主次干道路灯连续 3 盏及以上不亮", WH, 8, "路灯恢复正常照明", DEPT),
                ("单盏路灯不亮、白天常亮或灯具破损", WD, 2, "路灯已修复或更换,亮灯正常", DEPT),
                ("灯杆倾斜、线缆裸露等危及安全", EH, 2, "已排除安全隐患,灯杆稳固", DEPT),
            ],
        ),
        (
            "11",
            "景观灯",
            [
                ("景观灯不亮、破损或线路裸露", WD, 3, "景观灯已修复,线路规范", DEPT),
            ],
        ),
        (
            "12",
            "报刊亭",
            [
                ("报刊亭破损、污损或外观陈旧", WD, 5, "已修复或清洗,外观整洁", POINT),
                ("废弃报刊亭未拆除", WD, 10, "已拆除并恢复地面", STREET),
            ],
        ),
    ],
    ("02", "道路交通"): [
        (
            "01",
            "停车场",
            [
                ("停车场标线模糊、设施破损", WD, 5, "标线已重划,设施已修复", POINT),
            ],
        ),
        (
            "02",
            "公交站亭",
            [
                ("公交站亭破损、玻璃碎裂", WH, 8, "站亭已修复,无安全隐患", ENT),
                ("公交站亭站牌污损、信息过期或张贴小广告", WD, 2, "站牌已清洁、信息已更新", ENT),
            ],
        ),
        (
            "03",
            "交通标志牌",
            [
                ("交通标志牌倒伏、缺失或被遮挡", WH, 8, "标志牌已恢复,视线无遮挡", DEPT),
                ("交通标志牌污损、褪色", WD, 5, "标志牌已清洗或更换", DEPT),
            ],
        ),
        (
            "04",
            "交通信号灯",
            [
                ("交通信号灯不亮、故障或倒计时显示异常", EH, 2, "信号灯恢复正常运行", DEPT),
            ],
        ),
        (
            "05",
            "交通护栏",
            [
                ("交通护栏倒伏、断裂侵占车道", EH, 4, "护栏已扶正或修复", DEPT),
                ("交通护栏缺损、污损", WD, 3, "护栏已补齐、清洗", DEPT),
            ],
        ),
        (
            "06",
            "隔离墩",
            [
                ("隔离墩移位、缺失或破损", WD, 2, "隔离墩已复位或补齐", DEPT),
            ],
        ),
        (
            "07",
            "路名牌",
            [
                ("路名牌缺失、倾斜或信息错误", WD, 5, "路名牌已补装或更正", DEPT),
                ("路名牌污损、被遮挡", WD, 3, "路名牌已清洗,无遮挡", DEPT),
            ],
        ),
        (
            "08",
            "过街天桥",
            [
                ("过街天桥栏杆、踏步损坏", WH, 8, "已修复,通行安全", DEPT),
                ("过街天桥桥面脏污、积水或有小广告", WD, 1, "桥面已清扫,无积水、无张贴", DEPT),
            ],
        ),
        (
            "09",
            "盲道",
            [
                ("盲道被占用、中断或砖块缺损", WD, 3, "盲道连续畅通,缺损已修补", DEPT),
            ],
        ),
    ],
    ("03", "市容环境"): [
        (
            "01",
            "公共厕所",
            [
                ("公共厕所脏乱、有异味或无人保洁", WH, 4, "已保洁,地面干净、无明显异味", DEPT),
                ("公厕设施损坏(洗手池、便器、门锁、照明)", WD, 2, "设施已修复,可正常使用", DEPT),
            ],
        ),
        (
            "02",
            "公厕指示牌",
            [
                ("公厕指示牌缺失、指向错误或破损", WD, 5, "指示牌已补装或更正", DEPT),
            ],
        ),
        (
            "03",
            "垃圾房",
            [
                ("垃圾房满溢、门窗损坏或周边脏乱", WH, 4, "已清运、修复,周边整洁", STREET),
            ],
        ),
        (
            "04",
            "垃圾箱",
            [
                ("垃圾箱满溢、未及时清运", WH, 4, "垃圾已清运,箱体周边整洁", STREET),
                ("垃圾箱破损、缺失或分类标识不清", WD, 3, "已更换或补齐,分类标识清晰", STREET),
            ],
        ),
        (
            "05",
            "广告牌匾",
            [
                ("广告牌匾破损、松动,存在坠落隐患", EH, 4, "已加固或拆除,隐患消除", POINT),
                ("广告牌匾污损、缺字、字体残缺", WD, 5, "已修复或更换,字迹完整", POINT),
            ],
        ),
        (
            "06",
            "灯箱霓虹灯",
            [
                ("灯箱霓虹灯缺亮、断亮或破损", WD, 3, "已修复,亮灯完整", POINT),
            ],
        ),
        (
            "07",
            "户外电子屏",
            [
                ("户外电子屏黑屏、花屏或播放内容不当", WH, 8, "已修复或停播,内容合规", POINT),
            ],
        ),
    ],
    ("04", "园林绿化"): [
        (
            "01",
            "古树名木",
            [
                (
                    "古树名木保护设施损坏、树体受损或挂牌缺失",
                    WD,
                    2,
                    "已修复保护设施并补挂标牌",
                    DEPT,
                ),
            ],
        ),
        (
            "02",
            "行道树",
            [
                ("行道树倒伏、断枝,影响通行安全", EH, 2, "倒伏树木已清理或扶正,道路通行", DEPT),
                ("行道树缺株、死株或枝条遮挡信号灯、标志牌", WD, 5, "已补植或修剪,无遮挡", DEPT),
            ],
        ),
        (
            "03",
            "护树设施",
            [
                ("树池箅子缺失、破损或树池裸土", WD, 5, "树池已覆盖或修复", DEPT),
            ],
        ),
        (
            "04",
            "花架花钵",
            [
                ("花架花钵破损、倾倒或花卉枯死", WD, 3, "已修复并补植", DEPT),
            ],
        ),
        (
            "05",
            "绿地",
            [
                ("绿地黄土裸露、杂草丛生或被踩踏毁坏", WD, 5, "已补植、除草,绿地完整", DEPT),
                ("绿地内有垃圾、杂物堆放", WH, 8, "垃圾杂物已清理", DEPT),
            ],
        ),
        (
            "06",
            "城市雕塑",
            [
                ("城市雕塑破损、污损", WD, 10, "雕塑已修复、清洗", DEPT),
            ],
        ),
        (
            "07",
            "街头座椅",
            [
                ("街头座椅损坏、缺失或脏污", WD, 3, "座椅已修复或补齐,干净可用", DEPT),
            ],
        ),
        (
            "08",
            "绿地护栏",
            [
                ("绿地护栏倒伏、缺损或锈蚀严重", WD, 3, "护栏已修复或刷新", DEPT),
            ],
        ),
    ],
    ("05", "房屋土地"): [
        (
            "01",
            "危险房屋",
            [
                ("房屋外墙脱落、结构开裂等危及公共安全", EH, 4, "已设置警戒并消除险情", DEPT),
                ("空置危房未封闭、未设警示", WD, 3, "已封闭并设置警示标志", DEPT),
            ],
        ),
        (
            "02",
            "人防工事",
            [
                ("人防工事出入口破损、被占用或积水", WD, 5, "已修复、清理,出入口完好", DEPT),
            ],
        ),
        (
            "03",
            "宣传栏",
            [
                ("宣传栏破损、玻璃碎裂或内容过期", WD, 3, "已修复并更新内容", COMMUNITY),
            ],
        ),
    ],
    ("06", "其他设施"): [
        (
            "01",
            "健身器材",
            [
                ("健身器材损坏,存在安全隐患", WH, 8, "已修复或拆除并设警示", STREET),
                ("健身器材锈蚀、缺少使用说明", WD, 5, "已除锈刷漆,补齐说明牌", STREET),
            ],
        ),
        (
            "02",
            "监控电子眼",
            [
                ("监控电子眼损坏、倾斜或线缆裸露", WD, 3, "设备已修复,线缆规整", DEPT),
            ],
        ),
        (
            "03",
            "架空线缆",
            [
                ("架空线缆低垂、断落或乱拉乱接", EH, 4, "线缆已规整或清理,无安全隐患", ENT),
                ("废弃线缆、“蜘蛛网”式线缆未清理", WD, 10, "废弃线缆已清理,线缆入管或规整", ENT),
            ],
        ),
    ],
}

EVENTS = {
    ("01", "市容环境"): [
        (
            "01",
            "私搭乱建",
            [
                (
                    "在道路、广场、绿地等公共区域私搭乱建构筑物",
                    WD,
                    5,
                    "违建已拆除,场地已恢复",
                    STREET,
                ),
                ("屋顶、阳台违规搭建或外挑", WD, 10, "已拆除或整改到位", STREET),
            ],
        ),
        (
            "02",
            "暴露垃圾",
            [
                ("公共区域有暴露垃圾、积存垃圾未清运", WH, 4, "垃圾已清运,地面干净", STREET),
            ],
        ),
        (
            "03",
            "积存垃圾渣土",
            [
                ("道路、空地积存建筑垃圾或渣土", WD, 2, "渣土已清运,场地平整", STREET),
                ("积存垃圾渣土超过 5 立方米或影响通行", WH, 8, "已清运完毕并清扫", STREET),
            ],
        ),
        (
            "04",
            "道路不洁",
            [
                ("道路有明显污渍、油渍或散落垃圾", WH, 4, "路面已冲洗清扫,无污渍", STREET),
                ("道路有泥浆、积泥或动物粪便", WH, 2, "已清理冲洗", STREET),
            ],
        ),
        (
            "05",
            "水域不洁",
            [
                ("河道、湖面有漂浮垃圾或异味", WD, 1, "水面漂浮物已打捞,无明显异味", DEPT),
            ],
        ),
        (
            "06",
            "绿地脏乱",
            [
                ("绿地、树池内有垃圾、烟头或杂物", WH, 4, "已清理干净", STREET),
            ],
        ),
        (
            "07",
            "废弃家具设备",
            [
                ("公共区域堆放废弃家具、家电、车辆", WD, 2, "已清运或由所有人移走", STREET),
            ],
        ),
        (
            "08",
            "非装饰性树挂",
            [
                ("树木上悬挂塑料袋、晾晒衣物或捆绑绳索", WH, 8, "树挂已清除", STREET),
            ],
        ),
        (
            "09",
            "乱堆物堆料",
            [
                ("在道路、人行道、楼道乱堆物品材料", WD, 1, "堆物已清理,通道畅通", STREET),
                ("楼道、消防通道堆放杂物堵塞通道", WH, 8, "杂物已清理,消防通道畅通", COMMUNITY),
            ],
        ),
        (
            "10",
            "乱吊挂晾晒",
            [
                ("临街护栏、树木、电线杆上吊挂晾晒衣物", WH, 4, "晾晒物已清理", COMMUNITY),
            ],
        ),
    ],
    ("02", "宣传广告"): [
        (
            "01",
            "非法小广告",
            [
                (
                    "在墙面、电杆、设施上张贴、涂写、刻画小广告",
                    WD,
                    1,
                    "小广告已清除,无明显痕迹",
                    STREET,
                ),
                (
                    "一处成片小广告 10 处以上或涉黄涉赌、办证类",
                    WH,
                    4,
                    "已全部清除并移交线索",
                    STREET,
                ),
            ],
        ),
        (
            "02",
            "违章张贴悬挂广告",
            [
                ("未经批准设置横幅、条幅、气拱门或张贴海报", WH, 8, "违规广告已拆除", DEPT),
            ],
        ),
        (
            "03",
            "占道广告牌",
            [
                ("在人行道、路口摆放落地广告牌、X 展架", WH, 4, "广告牌已收回店内或没收", STREET),
            ],
        ),
        (
            "04",
            "街头散发广告",
            [
                ("在路口、商圈向行人散发广告传单", WH, 4, "已劝离,现场无散落传单", STREET),
            ],
        ),
        (
            "05",
            "广告招牌破损",
            [
                ("门头招牌缺字、破损或灯光不全", WD, 5, "招牌已修复,字迹完整", POINT),
            ],
        ),
    ],
    ("03", "施工管理"): [
        (
            "01",
            "施工扰民",
            [
                (
                    "夜间(22 时至次日 6 时)违规施工产生噪声",
                    EH,
                    2,
                    "已停止夜间施工或办理夜间施工许可",
                    DEPT,
                ),
                ("白天施工噪声超标、影响周边居民", WD, 1, "已采取降噪措施,噪声达标", DEPT),
            ],
        ),
        (
            "02",
            "工地扬尘",
            [
                ("工地裸土未覆盖、未洒水降尘", WH, 4, "裸土已覆盖,降尘措施到位", DEPT),
                ("工地出入口未冲洗车辆、带泥上路", WH, 2, "已冲洗车辆并清理路面", DEPT),
            ],
        ),
        (
            "03",
            "道路遗撒",
            [
                ("运输车辆沿路遗撒渣土、砂石", WH, 2, "路面已清理,责任车辆已查处", DEPT),
            ],
        ),
        (
            "04",
            "占道施工",
            [
                (
                    "未经批准或超范围、超时间占道施工",
                    WH,
                    8,
                    "已停止违规占道或补办手续,围挡规范",
                    DEPT,
                ),
                ("施工后道路破损、坑槽未恢复", WD, 3, "路面已修复平整", DEPT),
            ],
        ),
        (
            "05",
            "施工围挡",
            [
                ("施工围挡破损、倾斜或未设公益广告", WD, 2, "围挡已修复,公益广告已设置", DEPT),
            ],
        ),
        (
            "06",
            "无证掘路",
            [
                ("未经许可开挖城市道路", EH, 4, "已停工并恢复路面或补办许可", DEPT),
            ],
        ),
    ],
    ("04", "突发事件"): [
        (
            "01",
            "路面塌陷",
            [
                ("道路路面塌陷、出现坑洞", EH, 1, "已设置围挡警示并修复路面", DEPT),
            ],
        ),
        (
            "02",
            "自来水管破裂",
            [
                ("供水管道破裂、大量漏水", EH, 2, "管道已抢修,恢复供水,路面已清理", ENT),
            ],
        ),
        (
            "03",
            "燃气管道泄漏",
            [
                ("燃气管道破损、有燃气泄漏气味", EH, 1, "泄漏已排除,现场安全", ENT),
            ],
        ),
        (
            "04",
            "下水道堵塞",
            [
                ("下水道堵塞、污水外溢", EH, 4, "管道已疏通,外溢污水已清理", ENT),
            ],
        ),
        (
            "05",
            "道路积水",
            [
                ("道路积水深度超过 10 厘米、影响通行", EH, 2, "积水已排除,道路通行", DEPT),
                ("雨后道路局部积水未排除", WH, 8, "积水已排除", DEPT),
            ],
        ),
        (
            "06",
            "道路积雪结冰",
            [
                ("主干道、桥梁、坡道积雪结冰", EH, 6, "已除雪除冰或撒布融雪剂", DEPT),
            ],
        ),
    ],
    ("05", "街面秩序"): [
        (
            "01",
            "无照经营游商",
            [
                ("流动摊贩在街面、路口无照经营", WH, 4, "游商已劝离或依法处理", STREET),
            ],
        ),
        (
            "02",
            "占道经营",
            [
                ("在道路、人行道、广场摆摊设点占道经营", EH, 2, "摊点已撤离,现场恢复整洁", STREET),
                ("沿街店铺超出门窗店外经营、作业", WH, 4, "已退回店内经营", STREET),
            ],
        ),
        (
            "03",
            "露天烧烤",
            [
                (
                    "在道路、广场等露天场所烧烤或违规经营夜市",
                    EH,
                    2,
                    "烧烤已停止,现场已清理",
                    STREET,
                ),
            ],
        ),
        (
            "04",
            "机动车乱停放",
            [
                ("机动车在人行道、盲道、消防通道违规停放", WH, 2, "车辆已驶离或依法处理", DEPT),
                ("僵尸车长期占用道路或停车位", WD, 5, "车辆已移走或依法拖离", DEPT),
            ],
        ),
        (
            "05",
            "非机动车乱停放",
            [
                ("非机动车、共享单车乱停放,阻碍通行", WH, 4, "车辆已摆放整齐或清理", STREET),
            ],
        ),
        (
            "06",
            "乞讨卖艺",
            [
                ("在车站、商圈、路口强行乞讨或卖艺", WH, 4, "已劝离,需要救助的已转送救助站", DEPT),
            ],
        ),
    ],
}

CIVILIZED = {
    ("01", "不文明行为"): [
        (
            "01",
            "乱扔垃圾",
            [
                ("随手乱扔垃圾、烟头", WD, 1, "现场已清理,对行为人进行劝导", STREET),
            ],
        ),
        (
            "02",
            "随地吐痰",
            [
                ("公共场所随地吐痰、便溺", WD, 1, "现场已清理,已劝导", STREET),
            ],
        ),
        (
            "03",
            "行人闯红灯",
            [
                ("行人、非机动车闯红灯或不走斑马线", WD, 1, "路口已安排劝导员值守", DEPT),
            ],
        ),
        (
            "04",
            "机动车不礼让行人",
            [
                ("机动车在斑马线前不礼让行人", WD, 2, "已依法处理并加强路口管控", DEPT),
            ],
        ),
        (
            "05",
            "遛犬不文明",
            [
                ("遛犬不牵绳、不清理犬只粪便", WD, 1, "已劝导,粪便已清理", COMMUNITY),
            ],
        ),
        (
            "06",
            "公共场所吸烟",
            [
                ("在室内公共场所、公共交通工具上吸烟", WD, 1, "已劝阻,场所已张贴禁烟标识", POINT),
            ],
        ),
        (
            "07",
            "乱涂乱画",
            [
                ("在公共设施、建筑物上乱涂乱画、乱刻", WD, 2, "涂画已清除", STREET),
            ],
        ),
    ],
    ("02", "公益广告"): [
        (
            "01",
            "公益广告缺失",
            [
                ("点位公益广告数量不足(如农贸市场少于 5 处)", WD, 5, "已按要求补设公益广告", POINT),
                ("未设置社会主义核心价值观宣传内容", WD, 5, "已补设核心价值观宣传", POINT),
            ],
        ),
        (
            "02",
            "公益广告破损陈旧",
            [
                ("公益广告破损、褪色或内容过时", WD, 5, "已更换或修复", POINT),
            ],
        ),
        (
            "03",
            "电子屏未播放公益广告",
            [
                ("户外电子屏未按比例播放公益广告", WD, 2, "已按要求播放公益广告", POINT),
            ],
        ),
    ],
    ("03", "门前三包"): [
        (
            "01",
            "门前卫生不洁",
            [
                ("商户门前有垃圾、污水或油污", WH, 4, "门前已清扫,地面干净", POINT),
            ],
        ),
        (
            "02",
            "门前秩序混乱",
            [
                ("商户门前乱堆乱放、车辆停放无序", WH, 4, "门前已清理,秩序良好", POINT),
            ],
        ),
        (
            "03",
            "门前绿化损坏",
            [
                ("商户门前绿化带被占用、踩踏或损毁", WD, 3, "已停止占用并恢复绿化", POINT),
            ],
        ),
        (
            "04",
            "责任牌缺失",
            [
                ("门前三包责任牌缺失或信息不全", WD, 5, "责任牌已补挂,信息完整", STREET),
            ],
        ),
    ],
    ("04", "公共设施补短板"): [
        (
            "01",
            "无障碍设施",
            [
                ("公共场所无障碍坡道、扶手缺失或被占用", WD, 10, "无障碍设施已补建或清理", DEPT),
                ("无障碍卫生间损坏或被挪作他用", WD, 3, "已修复并恢复使用", DEPT),
            ],
        ),
        (
            "02",
            "公厕设施不全",
            [
                ("公厕缺少洗手液、手纸或第三卫生间", WD, 3, "已补齐设施用品", DEPT),
            ],
        ),
        (
            "03",
            "公平秤缺失",
            [
                ("农贸市场未设公平秤或公平秤失准", WD, 2, "公平秤已设置并检定合格", POINT),
            ],
        ),
        (
            "04",
            "背街小巷照明",
            [
                ("背街小巷照明缺失、夜间无灯", WD, 10, "已安装照明设施", STREET),
            ],
        ),
        (
            "05",
            "便民设施缺失",
            [
                ("公交站、公园缺少座椅、遮阳棚等便民设施", ND, 30, "便民设施已补设", DEPT),
            ],
        ),
    ],
}

FAMILIES = (
    (CategoryKind.COMPONENT, COMPONENTS),
    (CategoryKind.EVENT, EVENTS),
    (CategoryKind.CIVILIZED, CIVILIZED),
)

# Larger search radii for things reported from across a road or a square.
DUPLICATE_RADIUS = {"B0110": 30, "E0101": 100, "E0103": 100, "E0401": 100, "E0405": 200}


def load_catalogue(*, stdout) -> bool:
    """Create the demo catalogue; on a database that has categories, change nothing.

    Returns whether anything was created."""
    if Category.objects.exists():
        return False
    majors = minors = standards = 0
    for kind, groups in FAMILIES:
        letter = CategoryKind(kind).value
        for (major_code, major_name), subs in groups.items():
            major = category_create(
                kind=kind, code=f"{letter}{major_code}", name=major_name, actor=None
            )
            majors += 1
            for minor_code, minor_name, rows in subs:
                code = f"{major.code}{minor_code}"
                minor = category_create(
                    kind=kind,
                    code=code,
                    name=minor_name,
                    parent=major,
                    duplicate_radius_m=DUPLICATE_RADIUS.get(code, 50),
                    actor=None,
                )
                minors += 1
                for i, (condition, time_type, value, close, unit_kind) in enumerate(rows, 1):
                    standard_create(
                        category=minor,
                        code=f"{code}-{i:02d}",
                        condition=condition,
                        time_type=time_type,
                        time_value=value,
                        close_condition=close,
                        unit_kind=unit_kind,
                        actor=None,
                    )
                    standards += 1
    stdout.write(f"案件类别:{majors} 个大类,{minors} 个小类,{standards} 条立结案标准")
    return True


WATER = "十堰市水务集团有限公司"
GAS = "十堰市燃气有限公司"
POWER = "国网湖北省电力有限公司十堰供电公司"
TELECOM = "中国电信股份有限公司十堰分公司"
URBAN_MGMT = "十堰市城市管理执法委员会"
URBAN_SERVICE = "十堰市城市管理综合服务中心"
HOUSING = "十堰市住房和城乡建设局"
TRANSPORT = "十堰市交通运输局"
TRAFFIC_POLICE = "十堰市公安局交通警察支队"
PARKS = "十堰市园林局"
BUS = "十堰市公共交通集团有限公司"
MARKET = "十堰市市场监督管理局"
PROPAGANDA = "中共十堰市委宣传部"
EMERGENCY = "十堰市应急管理局"
ENVIRONMENT = "十堰市生态环境局"
REAL_ESTATE = "十堰市房地产事务中心"
MAOJIAN = "420302"

# (category code, territory code or None, unit name or MAOJIAN for 茅箭区人民政府,
#  auto dispatch, note). A 大类 rule covers its 小类 unless a 小类 rule says otherwise;
# a rule with a territory beats the citywide one for the same category.
RULES = (
    ("B0101", None, WATER, True, "供水井盖由水务集团养护"),
    ("B0102", None, WATER, True, "排水井盖由水务集团养护"),
    ("B0103", None, WATER, True, ""),
    ("B0104", None, POWER, True, "电力井盖产权单位"),
    ("B0105", None, TELECOM, True, "通讯井盖暂由电信牵头,联合移动、联通处置"),
    ("B0106", None, GAS, True, "燃气井盖产权单位"),
    ("B0107", None, HOUSING, False, "热力管网产权待核实,由派遣员确认"),
    ("B0108", None, WATER, True, ""),
    ("B0109", None, WATER, True, "市政消防栓由供水企业维护"),
    ("B0110", None, URBAN_SERVICE, True, "城市照明管理"),
    ("B0111", None, URBAN_SERVICE, True, ""),
    ("B02", None, TRANSPORT, False, "道路交通设施,视产权派遣"),
    ("B0202", None, BUS, True, ""),
    ("B0203", None, TRAFFIC_POLICE, True, ""),
    ("B0204", None, TRAFFIC_POLICE, True, ""),
    ("B0205", None, TRAFFIC_POLICE, True, ""),
    ("B0208", None, HOUSING, True, "市政桥梁"),
    ("B0209", None, HOUSING, True, ""),
    ("B03", None, URBAN_MGMT, False, ""),
    ("B0301", None, URBAN_SERVICE, True, "市管公厕"),
    ("B0302", None, URBAN_SERVICE, True, ""),
    ("B04", None, PARKS, True, "园林绿化"),
    ("B05", None, REAL_ESTATE, False, ""),
    ("E01", None, URBAN_MGMT, False, "市容环境类事件默认由属地处置,城管执法委督导"),
    ("E0101", None, URBAN_MGMT, True, "违法建设查处"),
    ("E0101", MAOJIAN, MAOJIAN, False, "茅箭区违建由区政府牵头,派遣员确认"),
    ("E0102", None, URBAN_SERVICE, True, ""),
    ("E0102", MAOJIAN, MAOJIAN, True, "茅箭区环卫作业已下放区级"),
    ("E0105", None, ENVIRONMENT, True, "水域保洁"),
    ("E02", None, URBAN_MGMT, True, "户外广告管理"),
    ("E03", None, HOUSING, True, "建筑工地监管"),
    ("E0303", None, URBAN_MGMT, True, "渣土运输执法"),
    ("E04", None, EMERGENCY, False, "突发事件由值班长确认后派遣"),
    ("E0401", None, HOUSING, True, ""),
    ("E0402", None, WATER, True, ""),
    ("E0403", None, GAS, True, ""),
    ("E0404", None, WATER, True, ""),
    ("E05", None, URBAN_MGMT, True, "街面秩序执法"),
    ("E0502", MAOJIAN, MAOJIAN, True, "茅箭区占道经营由区政府组织街道处置"),
    ("E0504", None, TRAFFIC_POLICE, True, "违停查处"),
    ("E0505", MAOJIAN, MAOJIAN, False, ""),
    ("W01", None, PROPAGANDA, False, "不文明行为以劝导为主,由派遣员确认责任单位"),
    ("W0103", None, TRAFFIC_POLICE, True, "文明交通劝导"),
    ("W0104", None, TRAFFIC_POLICE, True, ""),
    ("W02", None, PROPAGANDA, False, ""),
    ("W0403", None, MARKET, True, "计量器具监管"),
    ("W04", None, HOUSING, False, "公共设施补短板项目"),
)


def load_routing_rules(*, stdout) -> bool:
    """Create the demo's routing rules; if any rule exists, change nothing.

    Returns whether anything was created."""
    if RoutingRule.objects.exists():
        return False
    categories = {c.code: c for c in Category.objects.all()}
    units = {u.name: u for u in Unit.objects.filter(is_active=True)}
    maojian = TerritoryNode.objects.filter(code=MAOJIAN).first()
    district_gov = Unit.objects.filter(
        kind=UnitKind.DISTRICT_GOVERNMENT, territory__code=MAOJIAN, is_active=True
    ).first()
    made = auto = 0
    skipped = []
    for category_code, territory_code, unit_name, auto_dispatch, note in RULES:
        unit = district_gov if unit_name == MAOJIAN else units.get(unit_name)
        territory = maojian if territory_code else None
        category = categories.get(category_code)
        if unit is None or category is None or (territory_code and territory is None):
            skipped.append(category_code)
            continue
        routing_rule_create(
            category=category,
            territory=territory,
            unit=unit,
            auto_dispatch=auto_dispatch,
            note=note,
            actor=None,
        )
        made += 1
        auto += auto_dispatch
    stdout.write(f"派遣规则:{made} 条(自动派遣 {auto} 条,仅建议 {made - auto} 条)")
    if skipped:
        stdout.write(f"未建派遣规则(缺少单位、属地或类别):{', '.join(skipped)}")
    return bool(made)


def counts() -> dict[str, int]:
    return {
        "majors": Category.objects.filter(parent__isnull=True).count(),
        "minors": Category.objects.filter(parent__isnull=False).count(),
        "standards": CaseStandard.objects.count(),
        "rules": RoutingRule.objects.count(),
    }
