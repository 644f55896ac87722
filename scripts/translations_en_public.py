"""English for the case loop's public-facing parts: duplicates and merging, the public
timeline, ratings and reopen requests, satisfaction statistics."""

EN = {
    "不满意": "Dissatisfied",
    "基本满意": "Fairly satisfied",
    "满意": "Satisfied",
    "与已有案件合并办理": "Merged with an existing case",
    "办理案件": "Handled case",
    "合并重复案件": "Merge duplicate",
    "合计": "Total",
    "回访满意度": "Callback satisfaction",
    "处置时限已延长": "Time limit extended",
    "审核人": "Reviewed by",
    "审核意见": "Review note",
    "审核时间": "Reviewed at",
    "已受理立案": "Accepted and registered",
    "已合并": "Merged",
    "已合并到案件 %(code)s。": "Merged into case %(code)s.",
    "已批准,案件 %(code)s 重新立案。": "Approved: case %(code)s is registered again.",
    "已派遣至责任单位": "Dispatched to the responsible unit",
    "已记录您的上报(%(code)s),并入案件 %(into)s 一并办理。": (
        "Your report (%(code)s) is recorded and merged into case %(into)s, handled together."
    ),
    "已重新立案": "Reopened",
    "已驳回案件 %(code)s 的重新办理申请。": "The reopen request for case %(code)s was refused.",
    "市民已评价": "Rated by the reporter",
    "市民申请重新办理": "The reporter asked to reopen",
    "待审核": "Awaiting review",
    "未派遣": "Not dispatched",
    "来源": "Source",
    "来源标识": "Client fingerprint",
    "查询码": "Tracking code",
    "案件已作废": "Case cancelled",
    "满意度": "Satisfaction",
    "满意度评价": "Satisfaction rating",
    "现场核查未通过,责任单位返工": "On-site check failed: the unit reworks it",
    "现场核查通过,已结案": "On-site check passed: case closed",
    "申请案件": "Requesting case",
    "申请理由": "Reason",
    "申请重新办理": "Reopen requests",
    "评价意见": "Comment",
    "评价时间": "Rated at",
    "请选择要合并到的案件。": "Choose the case to merge into.",
    "责任单位已处置完成,等待核查": "Handled by the unit, awaiting the on-site check",
    "责任单位已签收,正在处置": "Signed for by the unit, being handled",
    "重新办理案件": "Case to reopen",
    "重新办理申请": "Reopen request",
    "重新办理申请未通过": "Reopen request refused",
    "重新确定责任单位": "Responsible unit being reassigned",
    "重新立案办理": "Registered again",
    "问题已上报": "Problem reported",
    "附加信息": "Extra information",
    "驳回重新办理申请": "Refuse reopen request",
    "本案件作为重复上报并入案件 %(code)s,由该案件继续办理。": (
        "This report was merged as a duplicate into case %(code)s, which carries on."
    ),
    "相距 %(m)s 米": "%(m)s m away",
    "合并到": "Merge into",
    "回访满意率 = (满意 + 基本满意) ÷ 评价总数。重新办理申请按原责任单位计。": (
        "Satisfaction rate = (satisfied + fairly satisfied) ÷ all ratings. Reopen requests "
        "count for the unit that handled the case."
    ),
    "如果就是同一个问题,请直接跟进已有案件,不必重复上报。": (
        "If it is the same problem, follow the existing case instead of reporting it again."
    ),
    "审核意见(驳回时必填,申请人可见)": "Review note (required to refuse; the reporter sees it)",
    "就是这个问题,跟进它": "That's the one: follow it",
    "已并入的重复上报": "Duplicate reports merged into this case",
    "待审核的重新办理申请": "Reopen requests awaiting review",
    "或案件编号": "or a case code",
    "所选范围内还没有市民评价。": "No ratings from the public in this range yet.",
    "批准,重新立案": "Approve and reopen",
    "按案件类别": "By category",
    "按责任单位": "By responsible unit",
    "月份": "Month",
    "月份格式不正确,已显示全部时间的统计。": "The month is not valid; showing all time.",
    "查看原案件": "View the original case",
    "没有待审核的申请。": "No requests awaiting review.",
    "满意率": "Satisfaction rate",
    "申请理由:": "Reason: ",
    "疑似重复": "Possible duplicates",
    "统计": "Show",
    "统计维度": "Group by",
    "评价数": "Ratings",
    "请选择疑似重复的案件,或在下方填写案件编号": (
        "Choose a possible duplicate, or type a case code below"
    ),
    "附近同类别、尚未办结的案件,可能与本案件是同一问题:": (
        "Open cases of the same category nearby, possibly the same problem:"
    ),
    "附近已有相同问题的上报": "The same problem has been reported nearby",
    "驳回": "Refuse",
}
