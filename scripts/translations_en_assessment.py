"""English for the assessment pages (chuangwen/assessment/views/ and templates: rankings,
results, appeals, schemes, entered figures, indicators), the assessment models and
choices they show, and the 考评 navigation. The dashboard and the 讲评 report have their
own files; strings shared with other pages (保存, 名称, 状态 …) are in
translations_en.py."""

EN = {
    # navigation and section bar
    "考评": "Assessment",
    "领导驾驶舱": "Leaders' dashboard",
    "讲评报告": "Review report",
    "考评排名": "Rankings",
    "申诉": "Appeals",
    "录入数据": "Entered figures",
    "考评方案": "Schemes",
    "指标说明": "Indicators",
    "无权操作": "Not allowed",
    "返回考评排名": "Back to the rankings",
    # choices
    "一线人员": "Field staff",
    "月度": "Monthly",
    "双月": "Two-monthly",
    "季度": "Quarterly",
    "年度": "Yearly",
    "案件指标": "Case indicator",
    "测评得分率": "Evaluation score rate",
    "群众满意度调查": "Public satisfaction survey",
    "网申材料完整率": "Application materials completeness",
    "负面清单与问责扣分": "Negative list and accountability deductions",
    "达标得满分,每低 1 个百分点扣分": (
        "Full points at the target, points off per percentage point below"
    ),
    "按比例得分(满分 × 比率)": "Proportional (full points × rate)",
    "不超过目标得满分,每超 1 个单位扣分": (
        "Full points up to the target, points off per unit above"
    ),
    "从满分中扣除": "Deducted from full points",
    "已发布": "Published",
    "已撤回": "Withdrawn",
    "已采纳": "Accepted",
    "部分采纳": "Partly accepted",
    "不予采纳": "Rejected",
    # model fields
    "考评对象": "Assessed subject",
    "方案名称": "Scheme name",
    "制定人": "Set by",
    "制定时间": "Set at",
    "方案": "Scheme",
    "顺序": "Order",
    "计分规则": "Scoring rule",
    "目标值": "Target",
    "扣分步长": "Points per step",
    "方案组成": "Scheme component",
    "考评周期": "Period",
    "对象": "Subject",
    "数值(%)": "Value (%)",
    "来源说明": "Source",
    "录入人": "Entered by",
    "录入时间": "Entered at",
    "周期类型": "Period kind",
    "数据截至": "Figures as of",
    "发布人": "Published by",
    "发布时间": "Published at",
    "发布说明": "Publication note",
    "撤回人": "Withdrawn by",
    "撤回时间": "Withdrawn at",
    "撤回理由": "Reason for withdrawal",
    "考评结果发布": "Published results",
    "对象编码": "Subject code",
    "对象名称": "Subject name",
    "得分明细": "Score breakdown",
    "发布得分": "Published score",
    "发布名次": "Published rank",
    "上期名次": "Previous rank",
    "申诉调整": "Appeal adjustment",
    "最终得分": "Final score",
    "最终名次": "Final rank",
    "考评结果": "Assessment result",
    "申诉项": "Appealed component",
    "申诉项名称": "Appealed component name",
    "申请恢复分值": "Points requested back",
    "申诉理由": "Grounds of appeal",
    "申诉人": "Appellant",
    "申诉时间": "Filed at",
    "核准恢复分值": "Points granted back",
    "调整前得分": "Score before",
    "调整后得分": "Score after",
    "调整前名次": "Rank before",
    "调整后名次": "Rank after",
    # shared words of these pages
    "持平": "Unchanged",
    "名次": "Rank",
    "名次变化": "Rank change",
    "草稿": "Draft",
    "(进行中)": " (under way)",
    "数据来源": "Source",
    "计分": "scored",
    "计分项": "Components",
    "总分": "Total points",
    "制定": "Set",
    "历史版本": "Earlier version",
    "红榜": "Honour list",
    "黑榜": "Warning list",
    # rankings
    "%(period)s%(type)s考评排名": "%(type)s rankings, %(period)s",
    "%(who)s 于 %(at)s 发布": "published by %(who)s at %(at)s",
    "数据截至 %(at)s": "figures as of %(at)s",
    "按%(name)s(第 %(version)s 版)计分": "scored by %(name)s (version %(version)s)",
    "部分对象的得分经申诉审核调整:“最终得分”= 发布得分 + 申诉调整,名次按最终得分排列。": (
        "Some scores were adjusted on appeal: final score = published score + appeal "
        "adjustment, and the ranks follow the final score."
    ),
    "撤回发布": "Withdraw publication",
    "撤回后本期结果恢复为草稿,各单位将看不到已发布的排名。确定撤回吗?": (
        "After withdrawal the period is a draft again and nobody sees the published "
        "ranking. Withdraw?"
    ),
    "确认撤回": "Withdraw",
    "按%(name)s(第 %(version)s 版)于 %(at)s 计算,尚未发布;数据变化时草稿随之变化。": (
        "Computed by %(name)s (version %(version)s) at %(at)s, not yet published; the "
        "draft follows the figures as they change."
    ),
    "本期尚未结束,结束后才能发布。": "The period is not over yet; it can be published once it is.",
    "发布前须录入以下数据:": "Before publishing, enter these figures:",
    ("%(kind)s:尚有 %(counter)s 个对象未录入", "%(kind)s:尚有 %(counter)s 个对象未录入"): (
        "%(kind)s: %(counter)s subject still missing",
        "%(kind)s: %(counter)s subjects still missing",
    ),
    "去录入数据": "Enter figures",
    "发布后%(period)s%(type)s考评结果将被固定,各单位可查看并申诉。确定发布吗?": (
        "Publishing freezes the %(type)s results of %(period)s; every unit can read them "
        "and appeal. Publish?"
    ),
    "发布说明(选填)": "Publication note (optional)",
    "发布": "Publish",
    "尚未制定%(type)s考评方案。": "There is no %(type)s scheme yet.",
    "去制定考评方案": "Set a scheme",
    "前 %(n)s 名": "top %(n)s",
    "后 %(n)s 名": "bottom %(n)s",
    "您的范围内没有上榜对象。": "No subject of yours is on this board.",
    "满分 %(n)s": "of %(n)s",
    "上期无名次": "No rank last period",
    "新": "new",
    "有待审核的申诉": "An appeal awaits review",
    "申诉中": "appealing",
    "您的范围内没有考评对象。": "There is no assessed subject in your scope.",
    "名次在全市 %(n)s 个对象中排列,得分相同名次并列;变化与上一期相比。把鼠标停在分数上可看计分说明,点对象名称看明细。": (
        "Ranks are among all %(n)s subjects of the city; equal scores share a rank; the "
        "change is against the previous period. Hover over a score for how it was "
        "earned; open a subject for the details."
    ),
    "得分趋势": "Score trend",
    "近期已发布的最终得分趋势": "Trend of the recently published final scores",
    "图中只显示排名靠前的 %(n)s 个对象。": "The chart shows the top %(n)s subjects only.",
    "近 6 期还没有已发布的结果。": "Nothing was published in the last 6 periods.",
    "考评对象类型不正确,请重新选择。": "Unknown kind of subject; please choose again.",
    "请选择考评周期类型。": "Please choose the kind of period.",
    "%(label)s(满分 %(max)s)": "%(label)s (of %(max)s)",
    "%(type)s考评排名": "%(type)s rankings",
    "您没有导出考评结果的权限。": "You may not export assessment results.",
    "%(period)s_%(type)s考评排名.xlsx": "%(period)s_%(type)s_rankings.xlsx",
    "只有市创文办可以发布考评结果。": "Only the city civilization office publishes results.",
    "已发布%(period)s%(type)s考评结果。": "The %(type)s results of %(period)s are published.",
    "只有市创文办可以撤回考评结果。": "Only the city civilization office withdraws results.",
    "已撤回,本期结果恢复为草稿。": "Withdrawn; the period is a draft again.",
    # one result
    "第 %(rank)s 名 / 共 %(n)s 个": "rank %(rank)s of %(n)s",
    "比上期上升 %(n)s 名": "up %(n)s since last period",
    "比上期下降 %(n)s 名": "down %(n)s since last period",
    "名次与上期持平": "same rank as last period",
    "本期结果已于 %(at)s 撤回:%(reason)s。以下为撤回前的记录。": (
        "These results were withdrawn at %(at)s: %(reason)s. Below is the record as it stood."
    ),
    "数值 %(figure)s": "figure %(figure)s",
    "失分 %(n)s": "%(n)s lost",
    "方案没有计分项。": "The scheme has no components.",
    "(第 %(v)s 版)": " (version %(v)s)",
    "(第 %(rank)s 名)": " (rank %(rank)s)",
    "计算时间": "Computed at",
    "草稿按当前数据计算,发布后才固定,发布后可以申诉。": (
        "A draft follows the current figures; publishing freezes it, and appeals are "
        "filed after that."
    ),
    "全部指标说明": "All indicators",
    "本对象没有案件指标。": "This subject has no case indicators.",
    "%(who)s 于 %(at)s 申请恢复 %(n)s 分": "%(who)s asked for %(n)s points back at %(at)s",
    "%(who)s 于 %(at)s 审核,核准恢复 %(n)s 分": "%(who)s reviewed it at %(at)s and granted %(n)s points",
    "得分 %(before)s → %(after)s,名次 %(rb)s → %(ra)s": (
        "score %(before)s → %(after)s, rank %(rb)s → %(ra)s"
    ),
    "去审核": "Review",
    "提出申诉": "File an appeal",
    "申诉的计分项": "Component appealed",
    "%(label)s(失分 %(n)s)": "%(label)s (%(n)s lost)",
    "说明失分不合理的原因,如案件已按期办结但系统记录有误,附证明材料的案件编号。": (
        "Say why the points were lost wrongly, e.g. a case closed in time but recorded "
        "late, with the numbers of the cases that prove it."
    ),
    "提交申诉": "File appeal",
    "没有可申诉的计分项:各项未失分,或已有待审核的申诉。": (
        "Nothing to appeal: no component lost points, or its appeal awaits review."
    ),
    "已提交“%(label)s”的申诉,等待市创文办审核。": (
        "Your appeal on “%(label)s” is filed and awaits the city office's review."
    ),
    # appeals
    "考评申诉": "Assessment appeals",
    ("%(counter)s 件待审核", "%(counter)s 件待审核"): (
        "%(counter)s awaiting review",
        "%(counter)s awaiting review",
    ),
    "申诉状态": "Appeal status",
    "采纳:恢复申请的分值;部分采纳:恢复部分分值并说明理由;不予采纳:须说明理由。审核后结果的最终得分和全市名次随之调整,调整前后的得分和名次记录在申诉上。": (
        "Accept: the requested points are restored; partly accept: some points are "
        "restored, with the reason; reject: give the reason. The result's final score and "
        "city-wide rank follow the decision, and the appeal keeps the before and after."
    ),
    "这里列出本单位(本辖区)对已发布考评结果提出的申诉。在考评结果明细页对失分项提出申诉。": (
        "The appeals your unit (your area) filed against published results. Appeal "
        "against lost points from a result's page."
    ),
    "审核结论": "Decision",
    "核准恢复分值(部分采纳时填写)": "Points granted (when partly accepting)",
    "审核意见(部分采纳、不予采纳时必填)": "Review note (required when partly accepting or rejecting)",
    "提交审核": "Submit decision",
    "没有待审核的申诉。": "No appeal awaits review.",
    "没有申诉。": "No appeals.",
    "只有市创文办可以审核申诉。": "Only the city civilization office reviews appeals.",
    "已审核%(subject)s“%(label)s”的申诉:%(status)s,最终得分 %(before)s → %(after)s,名次 %(rb)s → %(ra)s。": (
        "Appeal of %(subject)s on “%(label)s” decided: %(status)s; final score "
        "%(before)s → %(after)s, rank %(rb)s → %(ra)s."
    ),
    # entered figures
    "%(period)s%(type)s录入数据": "%(type)s figures, %(period)s",
    "群众满意度调查取第三方调查机构报告中的满意率,网申材料完整率取材料审核结果,均为百分比(0–100)。只保存改动过的格子;已录入的数值不能清空,可以改为新的数值。": (
        "The satisfaction survey comes from the survey agency's report, materials "
        "completeness from the materials review, both in percent (0–100). Only changed "
        "cells are saved; an entered figure cannot be cleared, only replaced."
    ),
    "%(period)s的结果已发布,录入数据已锁定;如需修改,请先在考评排名页撤回发布。": (
        "The results of %(period)s are published and its figures locked; to change them, "
        "withdraw the publication on the rankings page first."
    ),
    "该周期尚未开始,不能录入数据。": "The period has not begun; nothing can be entered yet.",
    "现行方案不使用此项": "The current scheme does not use this",
    "(未使用)": "(unused)",
    "没有考评对象。": "No subjects.",
    "来源说明(选填,用于本次录入的全部数值)": "Source (optional, for every figure saved now)",
    "如:第三方调查机构第三季度满意度调查报告": "e.g. the survey agency's third-quarter report",
    "只有市创文办可以录入考评数据。": "Only the city civilization office enters figures.",
    "没有修改任何数据。": "Nothing was changed.",
    "%(kind)s未保存:%(message)s": "%(kind)s not saved: %(message)s",
    "已保存 %(n)s 项;": "%(n)s saved; ",
    "已保存 %(n)s 项录入数据。": "%(n)s figures saved.",
    # indicators
    "案件指标说明": "Case indicators",
    "案件指标按 CJ/T 292 的口径从案件记录中统计。统计期为半开区间 [起始日 0 时, 结束日次日 0 时),草稿按计算时刻已发生的情况统计,发布后固定。比率的分母为 0 时记为“—”,计分时不扣分。": (
        "Case indicators are counted from the case records as CJ/T 292 defines them. A "
        "period is the half-open span [00:00 of its first day, 00:00 after its last day); "
        "a draft counts what had happened when it was computed, a publication freezes it. "
        "A rate whose denominator is 0 shows “—” and costs no points."
    ),
    "计算公式": "Formula",
    "适用对象": "Applies to",
    "方向": "Direction",
    "越高越好": "higher is better",
    "越低越好": "lower is better",
    # schemes
    "每类考评对象一个现行方案。修改方案会生成新版本并立即用于计算草稿;已发布的结果始终按发布时的版本计分,历史版本只读。": (
        "One current scheme per kind of subject. A change makes a new version that drafts "
        "use at once; published results keep the version they were scored by, and earlier "
        "versions are read-only."
    ),
    "修改方案": "Change scheme",
    "制定方案": "Set scheme",
    "尚未制定。": "Not set yet.",
    "修改(生成新版本)": "Change (new version)",
    "以此版本为基础制定新版本": "New version from this one",
    "这是历史版本,只读;按此版本发布的结果仍按它计分。": (
        "This is an earlier version, read-only; results published with it keep its scores."
    ),
    "全部版本": "All versions",
    "第 %(v)s 版": "version %(v)s",
    "制定%(type)s考评方案": "Set the %(type)s scheme",
    "保存后生成新版本并成为现行方案,现行的第 %(v)s 版转为历史版本。": (
        "Saving makes a new current version; version %(v)s becomes an earlier version."
    ),
    "保存后即成为现行方案。": "Once saved it is the current scheme.",
    "“达标”按目标达标率计分,每低 1 个百分点扣“扣分步长”分;“越低越好”不超过目标值得满分,每超 1 个单位扣“扣分步长”分;“按比例”和“扣除”不需要目标值和步长。": (
        "“Target” rules give full points at the target rate and take “points per step” "
        "off per percentage point below; “lower is better” gives full points up to the "
        "target and takes “points per step” off per unit above; “proportional” and "
        "“deducted” need neither target nor step."
    ),
    "表单内容取自第 %(v)s 版(历史版本)。": "The form starts from version %(v)s (an earlier version).",
    "修订说明(选填)": "What changed (optional)",
    "删除此项": "Remove this component",
    "添加计分项": "Add component",
    "最多 %(n)s 项;留空的行不保存。名称留空时取指标或来源的名称。": (
        "At most %(n)s; blank rows are not saved. A blank name takes the indicator's or "
        "the source's name."
    ),
    "保存为新版本": "Save as new version",
    "只有市创文办系统管理员可以制定考评方案。": (
        "Only the city civilization office's administrators set schemes."
    ),
    "%(type)s考评方案": "%(type)s scheme",
    "已保存%(name)s第 %(version)s 版,自即日起按此方案计算草稿。": (
        "%(name)s version %(version)s saved; drafts are scored by it from now on."
    ),
}
