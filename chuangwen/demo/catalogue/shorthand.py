"""Short names the catalogue's tables use for time types and unit kinds."""

from chuangwen.core.workcalendar import TimeType
from chuangwen.org.choices import UnitKind

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
