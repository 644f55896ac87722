"""The demo's 19 point types and their checklists (invented, in the style of the checklists
cities publish), each item tied to a case category and an indicator of the sample."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from chuangwen.catalog.models import Category
from chuangwen.core.audit import audit
from chuangwen.evaluation.choices import EntryLevel, FrameworkKind
from chuangwen.evaluation.models import ChecklistItem, Framework, FrameworkEntry, PointType

from .framework import framework_rows
from .framework_sample import CYCLE_START

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
    _, keys = framework_rows()
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
