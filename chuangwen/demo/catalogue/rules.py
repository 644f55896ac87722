"""The demo's routing rules (派遣规则) by unit name. Data only."""

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
