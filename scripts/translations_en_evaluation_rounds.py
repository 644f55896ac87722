"""English for the office's evaluation pages (chuangwen/evaluation/views/rounds.py and
the round_*.html and inspection_detail.html templates). Strings these pages share with
the models, choices and other pages (点位, 状态, 扣分 …) are in translations_en.py and
translations_en_evaluation.py."""

EN = {
    # round list and refusal
    "新建测评": "New round",
    "进度": "Progress",
    "成绩": "Results",
    "查看": "Open",
    "测评时间": "Period",
    "还没有测评轮次。点“新建测评”按抽样规则抽取点位、分配测评员。": (
        "No rounds yet. “New round” draws points by sampling rules and assigns inspectors."
    ),
    "还没有进行中或已结束的测评。": "No round is under way or finished yet.",
    "无权操作": "Not allowed",
    "返回测评轮次": "Back to the rounds",
    "只有市创文办可以组织测评。": "Only the city civilization office organizes evaluations.",
    # planning form
    "请修改下面标出的内容后再提交。": "Please correct the marked fields and submit again.",
    "轮次名称": "Round name",
    "如“2026年第6期双月测评”": "e.g. “2026 bimonthly evaluation no. 6”",
    "测评类型": "Kind of evaluation",
    "现行": "current",
    "请选择": "Please choose",
    "每类点位按比例在每个区县(或街道)内随机抽取,比例留空则不抽该类点位。": (
        "Each point type is drawn at random, by share, within each district (or street); "
        "leave the share blank to leave a type out."
    ),
    "有效点位": "Active points",
    "抽取比例(%%)": "Share drawn (%%)",
    "抽取范围": "Drawn within",
    "不抽": "not drawn",
    "%(name)s的抽取范围": "%(name)s: drawn within",
    "%(name)s每组至少": "%(name)s: at least per group",
    "还没有有效的点位类型。": "There are no active point types yet.",
    "另行指定点位(选填)": "Points named explicitly (optional)",
    "填写点位编号,每行一个或用逗号分隔;这些点位不经抽样直接纳入本轮。": (
        "Point codes, one a line or separated by commas; these points join the round "
        "without being drawn."
    ),
    "抽中的点位按地理位置连片分给所选人员,每人数量相差不超过 1 个。括号内是其尚未完成的测评任务数。": (
        "The drawn points are shared among the chosen people in compact patches of the "
        "map, at most one point apart in number. In brackets: the visits each still has "
        "to make."
    ),
    ("%(counter)s 人", "%(counter)s 人"): ("%(counter)s person", "%(counter)s people"),
    "全选": "Select all",
    ("待测 %(counter)s", "待测 %(counter)s"): ("%(counter)s to do", "%(counter)s to do"),
    "还没有在岗的测评员或文明观察员,请先在单位名录中为人员分配角色。": (
        "There are no active inspectors or civility observers; give people the role in "
        "the unit directory first."
    ),
    "其他设置": "Other settings",
    "抽样种子(选填)": "Sampling seed (optional)",
    "留空自动生成": "drawn automatically when blank",
    "同样的规则和种子抽出同样的点位,创建后在轮次页显示。": (
        "The same rules and seed draw the same points; the round page shows the seed."
    ),
    "测评员须在点位此距离内签到,否则要说明原因。": (
        "Inspectors check in within this distance of the point or explain why not."
    ),
    "抽取点位并创建": "Draw the points and create",
    "取消": "Cancel",
    "抽取比例应为 1 到 100 的整数。": "The share must be a whole number from 1 to 100.",
    "每组至少应为 0 到 1000 的整数。": "“At least per group” must be a whole number from 0 to 1000.",
    "%(codes)s 等 %(n)s 个": "%(codes)s and others, %(n)s in all",
    "以下点位编号不存在或已停用:%(codes)s": "These point codes do not exist or are inactive: %(codes)s",
    "请选择测评体系。": "Please choose an evaluation framework.",
    "已创建测评轮次“%(name)s”,抽取 %(n)s 个点位。抽样种子 %(seed)s:同样的规则和种子可以复现这次抽样。": (
        "Round “%(name)s” created with %(n)s points. Sampling seed %(seed)s: the same "
        "rules and seed reproduce this draw."
    ),
    # progress board
    "成绩排名": "Rankings",
    "问题清单": "Problem list",
    "开始后测评员即收到任务,检查表随之固定。确定开始测评?": (
        "Once started, the inspectors get their tasks and the checklists are frozen. "
        "Start the round?"
    ),
    "开始测评": "Start round",
    "删除后本轮的抽样和分配全部作废。确定删除?": (
        "Deleting drops this round's draw and assignments. Delete it?"
    ),
    (
        "还有 %(counter)s 个点位未完成检查,结束后不能再提交。确定结束测评?",
        "还有 %(counter)s 个点位未完成检查,结束后不能再提交。确定结束测评?",
    ): (
        "%(counter)s point has not been inspected and cannot be submitted after closing. "
        "Close the round?",
        "%(counter)s points have not been inspected and cannot be submitted after closing. "
        "Close the round?",
    ),
    "确定结束测评?": "Close the round?",
    "结束测评": "Close round",
    "概况": "Overview",
    "签到距离": "Check-in distance",
    "%(m)s 米": "%(m)s m",
    "%(type)s:%(per)s抽取 %(percent)s%%,每组至少 %(minimum)s 个": (
        "%(type)s: %(percent)s%% drawn in %(per)s, at least %(minimum)s"
    ),
    "无抽样规则,只含指定点位。": "No sampling rule: named points only.",
    "已超期": "Overdue",
    "今日计划": "Planned today",
    "已完成 %(done)s/%(total)s(%(percent)s%%)": "%(done)s of %(total)s done (%(percent)s%%)",
    "按测评员": "By inspector",
    "按区县": "By district",
    "超期 %(n)s": "%(n)s overdue",
    "暂无测评任务。": "No inspections yet.",
    "本轮点位": "Points of this round",
    "只看今日计划": "Planned today only",
    "清除": "Clear",
    ("共 %(counter)s 个点位", "共 %(counter)s 个点位"): (
        "%(counter)s point",
        "%(counter)s points",
    ),
    "区县/街道": "District / street",
    "得分/应得分": "Score / maximum",
    "改派": "Reassign",
    "改派给": "Reassign to",
    "确定": "OK",
    "异常签到": "Check-in exception",
    "没有符合条件的测评任务。": "No inspection matches.",
    "测评已开始,测评员已收到任务通知。": "The round has started; the inspectors have been notified.",
    "测评已结束。": "The round is closed.",
    "已删除测评轮次“%(name)s”。": "Round “%(name)s” deleted.",
    "已将 %(point)s 改派给 %(name)s。": "%(point)s reassigned to %(name)s.",
    # negative-list penalties
    "登记扣分": "Record the penalty",
    "本轮未关联测评体系,没有负面清单可用。": (
        "This round has no evaluation framework, so no negative list to choose from."
    ),
    "本轮测评体系没有负面清单情形。": "This round's framework has no negative-list cases.",
    "没有负面清单扣分。": "No negative-list penalties.",
    "已登记负面清单扣分。": "The negative-list penalty is recorded.",
    # results
    "%(name)s · 成绩": "%(name)s · Results",
    "排名对象": "Ranked subjects",
    "得分率 = (得分 − 负面清单扣分) ÷ 应得分;只计已提交和已审核的点位,不适用的检查项不计入应得分。": (
        "Score rate = (score − negative-list penalties) ÷ applicable maximum; only "
        "submitted and approved points count, and items marked not applicable are left "
        "out of the maximum."
    ),
    "测评尚未结束,成绩随提交实时变化。": (
        "The round is still under way: results change as inspections are submitted."
    ),
    "%(level)s得分率": "Score rates · %(level)s",
    "%(level)s得分率柱状图": "Bar chart of score rates · %(level)s",
    "得分率": "Score rate",
    "图中只显示前 %(n)s 名,完整排名见下表。": (
        "The chart shows the first %(n)s; the table below has the full ranking."
    ),
    "还没有已提交的测评结果。": "No results have been submitted yet.",
    "点位得分地图": "Map of point scores",
    "未检查": "Not inspected",
    "查看测评": "Open the inspection",
    "排名": "Rank",
    "测评点位数": "Points inspected",
    "上轮得分率": "Previous rate",
    "变化": "Change",
    "上升": "Up",
    "下降": "Down",
    "对比轮次:%(name)s;变化以百分点计。": (
        "Compared with %(name)s; changes are in percentage points."
    ),
    "净得分": "Net score",
    "得分率(%)": "Score rate (%)",
    "上轮得分率(%)": "Previous rate (%)",
    "变化(百分点)": "Change (percentage points)",
    "%(level)s成绩": "%(level)s results",
    "%(round)s_%(level)s成绩.xlsx": "%(round)s_%(level)s_results.xlsx",
    # problem list
    "%(name)s · 问题清单": "%(name)s · Problem list",
    "测评中不合格的检查项,每项自动立案交责任单位整改;处置时限到期后安排复查。": (
        "Items that failed in the round. Each opened a case for the responsible unit to "
        "fix; a re-inspection follows its deadline."
    ),
    "案件状态": "Case status",
    ("共 %(counter)s 个问题", "共 %(counter)s 个问题"): (
        "%(counter)s problem",
        "%(counter)s problems",
    ),
    "复查": "Re-inspection",
    ("%(counter)s 张照片", "%(counter)s 张照片"): ("%(counter)s photo", "%(counter)s photos"),
    "没有符合条件的问题。": "No problem matches.",
    "点位编号": "Point code",
    "案件链接": "Case link",
    "复查状态": "Re-inspection status",
    "照片链接": "Photo links",
    "%(round)s_问题清单.xlsx": "%(round)s_problem_list.xlsx",
    "您没有导出测评结果的权限。": "You may not export evaluation results.",
    # one inspection
    "得分率 %(rate)s": "Score rate %(rate)s",
    ("%(counter)s 项不合格", "%(counter)s 项不合格"): (
        "%(counter)s item failed",
        "%(counter)s items failed",
    ),
    "截止 %(d)s": "due %(d)s",
    "签到": "Check-in",
    "距点位": "Distance to the point",
    "%(m)s 米(允许 %(r)s 米)": "%(m)s m (%(r)s m allowed)",
    "未取得定位": "No location obtained",
    "异常说明": "Reason given",
    "尚未签到。": "Not checked in yet.",
    "审核": "Review",
    "审核通过": "Approve",
    "退回理由": "Reason for returning",
    "退回测评员": "Return to the inspector",
    "未填写": "Not filled in",
    "分值 %(most)s,每处扣 %(each)s": "%(most)s points, %(each)s off per place",
    ("%(counter)s 处,扣 %(d)s 分", "%(counter)s 处,扣 %(d)s 分"): (
        "%(counter)s place, %(d)s points off",
        "%(counter)s places, %(d)s points off",
    ),
    "%(item)s的照片": "Photo: %(item)s",
    "测评开始后才生成本点位的检查表。": "The point's checklist is fixed when the round starts.",
    "已审核通过。": "Approved.",
    "已退回测评员。": "Returned to the inspector.",
}
