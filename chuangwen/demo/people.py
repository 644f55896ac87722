"""Units and people of the demo city (names of real institutions of 十堰; people invented)."""

# (name, short name, kind) of the city's municipal departments and public utilities.
DEPARTMENTS = (
    ("十堰市城市管理执法委员会", "市城管执法委", "department"),
    ("十堰市住房和城乡建设局", "市住建局", "department"),
    ("十堰市交通运输局", "市交通运输局", "department"),
    ("十堰市市场监督管理局", "市市场监管局", "department"),
    ("十堰市生态环境局", "市生态环境局", "department"),
    ("十堰市园林局", "市园林局", "department"),
    ("十堰市公安局交通警察支队", "市公安交警支队", "department"),
    ("十堰市公安局", "市公安局", "department"),
    ("十堰市卫生健康委员会", "市卫健委", "department"),
    ("十堰市教育局", "市教育局", "department"),
    ("十堰市文化和旅游局", "市文旅局", "department"),
    ("十堰市水利和湖泊局", "市水利湖泊局", "department"),
    ("十堰市自然资源和规划局", "市自然资源和规划局", "department"),
    ("十堰市民政局", "市民政局", "department"),
    ("十堰市商务局", "市商务局", "department"),
    ("十堰市应急管理局", "市应急管理局", "department"),
    ("十堰市人力资源和社会保障局", "市人社局", "department"),
    ("十堰市发展和改革委员会", "市发改委", "department"),
    ("十堰市经济和信息化局", "市经信局", "department"),
    ("十堰市农业农村局", "市农业农村局", "department"),
    ("十堰市司法局", "市司法局", "department"),
    ("十堰市退役军人事务局", "市退役军人事务局", "department"),
    ("十堰市政务服务和大数据管理局", "市政数局", "department"),
    ("十堰市房地产事务中心", "市房地产事务中心", "department"),
    ("十堰市邮政管理局", "市邮政管理局", "department"),
    ("十堰市消防救援支队", "市消防救援支队", "department"),
    ("中共十堰市委宣传部", "市委宣传部", "department"),
    ("中共十堰市委网络安全和信息化委员会办公室", "市委网信办", "department"),
    ("共青团十堰市委员会", "团市委", "department"),
    ("十堰市妇女联合会", "市妇联", "department"),
    ("十堰市总工会", "市总工会", "department"),
    ("十堰市城市管理综合服务中心", "市城管服务中心", "department"),
    ("十堰市水务集团有限公司", "市水务集团(供水)", "enterprise"),
    ("十堰市燃气有限公司", "市燃气公司", "enterprise"),
    ("国网湖北省电力有限公司十堰供电公司", "十堰供电公司", "enterprise"),
    ("十堰市公共交通集团有限公司", "市公交集团", "enterprise"),
    ("中国电信股份有限公司十堰分公司", "十堰电信", "enterprise"),
    ("中国移动通信集团湖北有限公司十堰分公司", "十堰移动", "enterprise"),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
GIVEN = ("建国", "海燕", "志强", "丽华", "明", "静", "伟", "芳", "军", "敏", "磊", "艳", "勇", "娟",
         "涛", "霞", "斌", "玲", "超", "婷", "鹏", "红梅", "国华", "春燕", "文博", "晓东", "雪", "欣怡")

# username, full name, role, where (a unit key resolved by the loader), title
DEMO_USERS = (
    ("admin", "周卫东", "city_admin", "city", "系统管理员"),
    ("operator", "李晓敏", "city_operator", "city", "受理派遣员"),
    ("leader", "张国华", "leader", "city", "市创文办主任"),
    ("maojian", "陈志强", "district_operator", "district:420302", "区创文办专干"),
    ("wudanglu", "刘海燕", "street_operator", "street:420302001", "街道创文专干"),
    ("chechenglu", "赵文博", "street_operator", "street:420303001", "街道创文专干"),
    ("shequ", "杨丽华", "community_operator", "community:420302001001", "社区书记"),
    ("chengguan", "王建军", "unit_handler", "dept:十堰市城市管理执法委员会", "执法大队队员"),
    ("inspector", "孙明", "inspector", "city", "测评员"),
    ("observer", "吴静", "observer", "city", "文明观察员"),
    ("collector", "黄磊", "collector", "street:420302001", "网格员"),
    ("persuader", "郭芳", "persuader", "community:420302002001", "文明劝导员"),
    ("volunteer", "何欣怡", "volunteer", "volunteer:420302001", "志愿者"),
)
