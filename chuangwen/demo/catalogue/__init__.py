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

The data lies in ``components``, ``events`` and ``rules``; ``loading`` creates it.
"""

from .loading import counts, load_catalogue, load_routing_rules
from .rules import MAOJIAN, RULES

__all__ = ["MAOJIAN", "RULES", "counts", "load_catalogue", "load_routing_rules"]
