"""English for the inspector's phone pages (chuangwen/evaluation/views/field.py, the
evaluation/field_*.html templates and the labels evaluation_field.js writes)."""

EN = {
    # my tasks
    "我的测评任务": "My inspection tasks",
    "今日待检": "Due today",
    "逾期未检": "Overdue",
    "全部待检": "To inspect",
    "已提交": "Submitted",
    "待上传": "Waiting to upload",
    "立即上传": "Upload now",
    "这些测评结果保存在本机,联网后自动提交。上传完成前请不要清除浏览器数据。": (
        "These results are kept on this device and are submitted automatically once online. "
        "Do not clear the browser's data before they are uploaded."
    ),
    "任务点位地图": "Map of my points",
    "我的位置": "My position",
    "今天": "Today",
    "明天": "Tomorrow",
    "逾期": "Overdue",
    "已全部提交": "All submitted",
    "退回理由:": "Reason for return: ",
    "目前没有进行中的测评任务。": "There are no inspection tasks under way.",
    "创文办开始一轮测评后,分配给您的点位会出现在这里。": (
        "When the civilization office starts a round, the points assigned to you appear here."
    ),
    "今天复查": "Re-inspect today",
    "没有待复查的问题。": "No problems waiting for re-inspection.",
    "%(n)s 个待检": "%(n)s to inspect",
    "已过截止日期 %(day)s": "Past the deadline of %(day)s",
    "得分 %(score)s / %(max)s": "Score %(score)s / %(max)s",
    "%(n)s 项待复查": "%(n)s to re-inspect",
    "应于 %(day)s 复查,已逾期": "Due for re-inspection on %(day)s, overdue",
    "%(day)s 复查": "Re-inspect on %(day)s",
    # the capture page
    "现场测评": "Field inspection",
    "测评结果已退回,请修改后重新提交。": "The results were returned: correct them and submit again.",
    "现场测评需要开启浏览器的脚本功能。": "Field inspection needs JavaScript to be enabled.",
    "测评进度": "Inspection progress",
    "汇总提交": "Summary",
    "点位与我的位置": "The point and my position",
    "未能在点位范围内签到的原因": "Why you could not check in at the point",
    "如:定位信号弱,已在点位现场": "E.g. weak GPS signal, I am at the point",
    "说明原因后继续": "Continue with this reason",
    "重新签到": "Check in again",
    "开始检查": "Start checking",
    "不合格须拍照": "Photo required if failed",
    "减少一处": "One place fewer",
    "增加一处": "One place more",
    "问题说明": "Description of the problem",
    "如:东门两处垃圾堆放": "E.g. rubbish piled in two places at the east gate",
    "拍照取证(必拍)": "Take a photo (required)",
    "拍照取证": "Take a photo",
    "上一步": "Back",
    "下一步": "Next",
    "预计得分": "Expected score",
    "提交前请补充:": "Before submitting, please complete:",
    "总体说明(选填)": "Overall note (optional)",
    "现场总体情况、需要说明的事项": "The overall situation on site, anything to explain",
    "提交": "Submit",
    "结果先保存在本机再上传:网络不好时会在联网后自动提交。": (
        "Results are saved on this device first: with a poor connection they are submitted "
        "automatically once online."
    ),
    "立即重试": "Retry now",
    "撤回修改": "Withdraw and edit",
    "返回我的测评任务": "Back to my inspection tasks",
    "提交成功": "Submitted",
    "查看结果": "View the results",
    "截止 %(day)s": "Due %(day)s",
    "%(n)s 项": "%(n)s items",
    "分值 %(most)s · 每处扣 %(each)s 分": "Worth %(most)s · minus %(each)s per place",
    # results on record
    "测评结果": "Inspection results",
    "取证照片": "Evidence photo",
    "该点位尚未分配测评员,您只能查看。": "No inspector is assigned to this point; you can only view it.",
    "该点位由 %(name)s 负责测评,您只能查看。": (
        "This point is inspected by %(name)s; you can only view it."
    ),
    "本轮测评已结束,不能再提交。": "This round has ended; results can no longer be submitted.",
    "距点位 %(d)s 米": "%(d)s m from the point",
    "%(n)s 处,扣 %(d)s 分": "%(n)s places, minus %(d)s",
    "当前状态:%(status)s,尚无测评结果。": "Current state: %(status)s; no results yet.",
    # re-inspection
    "已逾期": "Overdue",
    "查看案件办理经过": "See how the case was handled",
    "测评时": "At the inspection",
    "测评时的照片": "Photo taken at the inspection",
    "测评时未拍照。": "No photo was taken at the inspection.",
    "处置后(责任单位上传)": "After handling (uploaded by the responsible unit)",
    "处置后的照片": "Photo after handling",
    "点位位置": "Location of the point",
    "请选择复查结果:合格或不合格。": "Choose the re-inspection result: passed or failed.",
    "复查不合格时请填写复查说明。": "Describe what you found when the re-inspection fails.",
    "复查结果": "Re-inspection result",
    "合格(已整改)": "Passed (fixed)",
    "不合格(未整改)": "Failed (not fixed)",
    "复查说明(不合格时必填)": "Re-inspection note (required if failed)",
    "如:垃圾已清运,地面干净": "E.g. the rubbish has been removed, the ground is clean",
    "无法获取定位,可以不带位置提交。": "Could not get your position; you can submit without it.",
    "已记录位置": "Position recorded",
    "定位": "Locate",
    "照片上传中…": "Uploading photos…",
    "提交复查结果": "Submit the re-inspection",
    "复查照片": "Re-inspection photo",
    "%(n)s 处": "%(n)s places",
    "已记录%(result)s:案件 %(code)s。": "Recorded “%(result)s” for case %(code)s.",
    # what the script writes
    "登录已过期,请重新登录后再提交。": "Your session has expired: sign in again, then submit.",
    "距点位 %(d)s,签到范围 %(r)s 米": "%(d)s from the point; check-in radius %(r)s m.",
    "已在签到范围内,可以签到。": "You are within the check-in radius and can check in.",
    "不在签到范围内:请走近点位后重新定位,或说明原因后继续。": (
        "Outside the check-in radius: move closer and locate again, or give a reason to continue."
    ),
    "无法获取定位:请说明原因后继续。": "Could not get your position: give a reason to continue.",
    "此浏览器不支持定位:请说明原因后继续。": (
        "This browser cannot locate you: give a reason to continue."
    ),
    "已签到 %(t)s,距点位 %(d)s": "Checked in at %(t)s, %(d)s from the point",
    "已签到 %(t)s(异常:%(reason)s)": "Checked in at %(t)s (exception: %(reason)s)",
    "请填写未能在点位范围内签到的原因。": "Give the reason why you could not check in at the point.",
    "%(n)s 米": "%(n)s m",
    "%(n)s 公里": "%(n)s km",
    "距您 %(d)s": "%(d)s from you",
    "扣 %(n)s 分": "minus %(n)s",
    "第 %(n)s / %(total)s 步": "Step %(n)s of %(total)s",
    "已填 %(n)s / %(total)s 项": "%(n)s of %(total)s items answered",
    "%(score)s / %(max)s 分": "%(score)s / %(max)s points",
    "全部不适用,不计得分率": "All items not applicable: no score rate",
    "%(text)s:%(n)s 处,扣 %(d)s 分": "%(text)s: %(n)s places, minus %(d)s",
    "没有不合格项。": "No failed items.",
    "“%(text)s”尚未填写。": "“%(text)s” is not answered yet.",
    "“%(text)s”不合格,须拍照取证。": "“%(text)s” failed and needs a photo as evidence.",
    "照片“%(name)s”超过 %(mb)s MB,请重新拍摄。": (
        "Photo “%(name)s” is larger than %(mb)s MB; please take it again."
    ),
    "“%(name)s”不是图片。": "“%(name)s” is not a picture.",
    "有照片在此浏览器中已丢失,请重新拍摄。": (
        "A photo is no longer stored in this browser; please take it again."
    ),
    "照片“%(name)s”无法上传:%(error)s": "Photo “%(name)s” could not be uploaded: %(error)s",
    "照片上传失败:%(error)s": "Photo upload failed: %(error)s",
    "正在上传照片 %(n)s / %(total)s…": "Uploading photo %(n)s of %(total)s…",
    "已离线保存,联网后自动提交": "Saved offline; it will be submitted automatically once online",
    "登录已过期:请重新登录,登录后自动提交。": (
        "Your session has expired: sign in again and it will be submitted automatically."
    ),
    "最近一次尝试:%(t)s": "Last attempt: %(t)s",
    "%(t)s 提交": "Submitted %(t)s",
    "%(name)s 已上传:%(score)s": "%(name)s uploaded: %(score)s",
    "已立案:%(codes)s": "Cases opened: %(codes)s",
    "没有不合格项,未立案。": "No failed items; no case opened.",
    "提交未被接受:%(error)s": "Submission not accepted: %(error)s",
    "%(name)s 提交未被接受:%(error)s": "%(name)s: submission not accepted: %(error)s",
    "打开修改": "Open to correct",
    "填写中": "In progress",
    "此浏览器无法在本机保存(可能开启了无痕模式):请保持页面打开,联网时提交。": (
        "This browser cannot save on this device (private mode?): keep the page open and "
        "submit while online."
    ),
    "撤回后可修改再提交。确定撤回吗?": "Withdraw the submission to edit it and submit again?",
    # JSON answers
    "请选择一张照片。": "Choose a photo.",
    "测评任务不存在。": "The inspection task does not exist.",
    "提交内容格式不正确。": "The submission is not in the expected format.",
    "检查结果格式不正确。": "The results are not in the expected format.",
    "签到信息格式不正确。": "The check-in is not in the expected format.",
    "总体说明格式不正确。": "The overall note is not in the expected format.",
}
