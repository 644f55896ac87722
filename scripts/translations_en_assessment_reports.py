"""English for the leaders' dashboard (领导驾驶舱: chuangwen/assessment/dashboard.py,
views/dashboard.py, templates dashboard.html and dashboard_screen.html, the words
dashboard.js writes) and the 讲评 review report (chuangwen/assessment/report.py,
views/report.py, template report.html, and its PDF and Excel files)."""

EN = {
    # dashboard: KPI tiles and their parts
    "上报数": "Reported",
    "立案数": "Registered",
    "结案率": "Closure rate",
    "结案": "Closed",
    "应结案": "Due for closure",
    "按期结案率": "On-time closure rate",
    "缓办": "Deferred",
    "在办案件": "Open cases",
    "超时案件": "Overdue cases",
    "待回复督办单": "Supervision orders awaiting reply",
    "回访满意率": "Follow-up satisfaction rate",
    "评价": "Ratings",
    # review report: ranking status lines
    "已发布:%(published)s 发布,数据截至 %(computed)s。": (
        "Published on %(published)s; figures as of %(computed)s."
    ),
    "未发布:尚未制定考评方案,下表只列出案件指标。": (
        "Not published: no assessment scheme has been set yet, so the table below lists "
        "only the case indicators."
    ),
    "草稿:本期结果尚未发布,以下按现行方案于 %(computed)s 计算,以正式发布为准。": (
        "Draft: this period's results are not published yet. The figures below were "
        "computed with the current scheme at %(computed)s; the official publication prevails."
    ),
    # review report: overdue cases
    "已按时处置": "Handled in time",
    "%(hours)s 工作小时": "%(hours)s working hours",
    "%(hours)s 小时": "%(hours)s hours",
    # review report: title, summary, headline figures
    "%(city)s创建文明城市工作讲评": "%(city)s Civilized City campaign review report",
    "%(period)s,%(scope)s共上报问题 %(reported)s,立案 %(registered)s,结案 %(closed)s,结案率 %(close_rate)s,按期结案率 %(on_time_rate)s,超时 %(overdue)s,回访满意率 %(satisfaction)s。": (
        "%(scope)s, %(period)s: problems reported %(reported)s, registered "
        "%(registered)s, closed %(closed)s; closure rate %(close_rate)s, on-time closure "
        "rate %(on_time_rate)s, overdue %(overdue)s, follow-up satisfaction rate "
        "%(satisfaction)s."
    ),
    "%(sign)s%(value)s 个百分点": "%(sign)s%(value)s percentage points",
    # review report: typical problems' severity
    "领导/重点督办 %(n)s 次": "Leader/key supervision: %(n)s",
    "返工 %(n)s 次": "Reworks: %(n)s",
    "测评发现": "Found in evaluation",
    # review report: scope
    "全市": "Whole city",
    "本辖区": "Your area",
    # review report: the PDF
    "第 %(page)s 页 / 共 %(total)s 页": "Page %(page)s of %(total)s",
    "(%(n)s)%(type)s排名": "(%(n)s) %(type)s ranking",
    "没有可显示的考评对象。": "No assessed subjects to show.",
    "…… 中间 %(n)s 个对象从略,完整排名见同期 Excel 报表 ……": (
        "… %(n)s subjects in the middle are left out; the Excel report of the same period "
        "has the full ranking …"
    ),
    "较上期": "vs. previous",
    "超时": "Overdue",
    "浅红底为红榜(前 %(n)s 名),灰底为黑榜(后 %(n)s 名),名次为全市 %(count)s 个对象中的名次。": (
        "Light red marks the honour list (top %(n)s), grey the warning list (bottom "
        "%(n)s); ranks are among all %(count)s subjects city-wide."
    ),
    "* 含申诉核准的调整分值。": "* Includes adjustments granted on appeal.",
    "区县考评得分": "District assessment scores",
    "区县按期结案率": "District on-time closure rates",
    "(无照片)": "(no photo)",
    "本期没有来自测评或被督办的带照片问题。": (
        "This period no problem with a photo came from an evaluation or drew a supervision order."
    ),
    "处置前照片": "Photo before handling",
    "地点": "Location",
    "选取本期测评发现或被督办的问题,按督办等级、超时和返工情况从重到轻排列,最多 %(n)s 件。": (
        "Problems of this period found in evaluations or placed under supervision, the "
        "most serious first by supervision level, overdue time and rework; at most %(n)s."
    ),
    "本期应办结的案件均已按期办结。": "Every case due this period was closed on time.",
    "本期处置时限届满而未按期办结的案件共 %(n)s 件(含超期办结和至今未办结)。": (
        "Cases whose time limit expired this period without on-time closure: %(n)s "
        "(closed late or still open)."
    ),
    "以上列出前 %(shown)s 件,完整清单见同期 Excel 报表。": (
        "The first %(shown)s are listed above; the Excel report of the same period has "
        "the full list."
    ),
    "本期没有问责记录。": "No accountability records this period.",
    "方式": "Measure",
    "关联案件": "Related case",
    "本期共问责 %(n)s 次。": "Accountability measures this period: %(n)s.",
    "统计范围:%(scope)s  |  统计周期:%(start)s 至 %(end)s  |  生成时间:%(now)s": (
        "Scope: %(scope)s  |  Period: %(start)s to %(end)s  |  Generated: %(now)s"
    ),
    "总体情况": "Overview",
    "典型问题": "Typical problems",
    "问责情况": "Accountability",
    # review report: the Excel workbook
    "统计范围": "Scope",
    "生成时间": "Generated at",
    "%(type)s排名": "%(type)s ranking",
    "%(label)s(分)": "%(label)s (points)",
    "排名(%(type)s)": "Ranking (%(type)s)",
    "严重程度": "Severity",
    "超时(小时)": "Overdue (hours)",
    "计时方式": "Clock",
    "工作时间": "Working time",
    "自然时间": "Calendar time",
    "本期": "This period",
    "上期": "Previous period",
    # dashboard page and big screen
    "大屏模式": "Big-screen mode",
    "驾驶舱的图表和地图需要启用浏览器的 JavaScript。": (
        "The dashboard's charts and map need JavaScript to be enabled in your browser."
    ),
    "本月指标": "This month's indicators",
    "案件分布": "Case distribution",
    "近 12 个月趋势": "12-month trend",
    "近 12 个月上报、结案与按期结案率": (
        "Reported and closed cases and on-time closure rate over the last 12 months"
    ),
    "结案为当月应结案案件中已结案的件数;按期结案率 = 按期结案数 ÷ (应结案数 − 缓办数)。": (
        "Closed counts the cases due for closure that month that have been closed; "
        "on-time closure rate = closed on time ÷ (due for closure − deferred)."
    ),
    "完整排名 ›": "Full ranking ›",
    "%(city)s创建文明城市工作驾驶舱": "%(city)s Civilized City campaign dashboard",
    "当前时间": "Current time",
    "全屏显示": "Show full screen",
    "全屏": "Full screen",
    # review report page
    "打开 PDF": "Open PDF",
    "统计范围:%(scope)s · 统计周期:%(start)s 至 %(end)s · 生成时间:%(moment)s": (
        "Scope: %(scope)s · Period: %(start)s to %(end)s · Generated: %(moment)s"
    ),
    "预览与 PDF、Excel 内容一致:PDF 适合打印分发,Excel 含完整清单和照片链接。": (
        "This preview matches the PDF and Excel files: the PDF is for printing and "
        "handing out, the Excel workbook has the full lists and the photo links."
    ),
    "一、总体情况": "1. Overview",
    "较上期 %(change)s": "%(change)s vs. previous period",
    "上期为 %(previous)s。指标口径见“指标说明”。": (
        "The previous period is %(previous)s. See “Indicators” for how each figure is defined."
    ),
    "二、考评排名": "2. Rankings",
    "…… 中间 %(n)s 个对象从略,完整排名请导出 Excel ……": (
        "… %(n)s subjects in the middle are left out; export to Excel for the full ranking …"
    ),
    "含申诉核准的调整分值": "Includes adjustments granted on appeal",
    "名次上升": "Moved up",
    "名次下降": "Moved down",
    "三、典型问题": "3. Typical problems",
    "本期测评发现或被督办、带处置前照片的问题,从重到轻排列。": (
        "Problems of this period found in evaluations or placed under supervision that "
        "have a photo from before handling, the most serious first."
    ),
    "案件 %(code)s 处置前照片": "Photo of case %(code)s before handling",
    "四、超时案件": "4. Overdue cases",
    (
        "本期处置时限届满而未按期办结的案件共 %(n)s 件。",
        "本期处置时限届满而未按期办结的案件共 %(n)s 件。",
    ): (
        "%(n)s case reached its time limit this period without being closed on time.",
        "%(n)s cases reached their time limit this period without being closed on time.",
    ),
    "以上列出前 %(list_limit)s 件,完整清单请导出 Excel。": (
        "The first %(list_limit)s are listed above; export to Excel for the full list."
    ),
    "五、问责情况": "5. Accountability",
    # dashboard: refusal, comparisons, board, lists, the script's words
    "领导驾驶舱只对市创文办、领导和区、街道管理员开放。": (
        "The leaders' dashboard is open only to the city Civilization Office, leaders, and "
        "district and street administrators."
    ),
    "上月同期无数据": "No data for the same point last month",
    "较上月同期 %(sign)s%(n)s 个百分点": (
        "%(sign)s%(n)s percentage points vs. the same point last month"
    ),
    "较上月同期 %(sign)s%(n)s 件": "%(sign)s%(n)s vs. the same point last month",
    "%(m)s月": "Month %(m)s",
    "%(period)s%(subject)s考评": "%(subject)s assessment, %(period)s",
    "对比上月同期:%(start)s 至 %(end)s": (
        "Compared with the same point last month: %(start)s to %(end)s"
    ),
    "刷新失败,%(n)s 秒后重试。": "Refresh failed; retrying in %(n)s seconds.",
    "登录已过期,请重新登录后查看最新数据。": (
        "Your session has expired: sign in again to see the latest figures."
    ),
    "数据更新于 %(time)s": "Updated %(time)s",
    "散点:近 %(days)s 天最近上报的 %(n)s 件;热力图:近 %(days)s 天全部上报,约 500 米网格。": (
        "Points: the %(n)s most recent reports of the last %(days)s days; heat map: all "
        "reports of the last %(days)s days on a grid of about 500 m."
    ),
    "第 %(n)s 名": "Rank %(n)s",
    "共 %(n)s 个": "%(n)s in all",
    "↑%(n)s": "↑%(n)s",
    "↓%(n)s": "↓%(n)s",
    "没有超时案件。": "No overdue cases.",
    "没有待回复的督办单。": "No supervision orders awaiting reply.",
    "还没有发布的考评结果。": "No assessment results have been published yet.",
    "参评对象不多,不另列黑榜。": "Too few subjects for a separate warning list.",
    "时限": "Due",
    "全部 %(n)s 件 ›": "All %(n)s ›",
    "%(date)s 发布": "published %(date)s",
    "登录已过期,请重新登录。": "Your session has expired: please sign in again.",
    # review report: refusals and errors
    "讲评报告供创文办、领导和区县查看,您没有查看的权限。": (
        "Review reports are for the Civilization Office, leaders and districts; you may "
        "not view them."
    ),
    "报告格式只能是 PDF 或 Excel。": "The report format must be PDF or Excel.",
    # Headline labels of report.py (HEADLINE, RANKING_INDICATORS). They are marked with
    # the alias _lazy, which makemessages does not recognise, so they are not in the
    # catalogue yet; the English is ready for when they are.
    "上报问题": "Problems reported",
    "立案": "Registered",
    "超时数": "Overdue",
}
