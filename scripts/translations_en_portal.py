"""English for the citizen portal (chuangwen/participation): the report form, the receipt,
tracking, rating and reopening, the public map and list, and the report form's groups."""

EN = {
    # the app and its groups
    "公众参与": "Public participation",
    "分组名称": "Group name",
    "提示": "Hint",
    "包含的小类": "Subcategories",
    "随手拍问题分组": "Citizen report group",
    "小类数": "Subcategories",
    "以下小类已停用:%(names)s": "These subcategories are inactive: %(names)s",
    "以下编码不是有效的小类:%(codes)s": "These codes are not valid subcategories: %(codes)s",
    "请填写分组名称。": "Please enter the group name.",
    "分组名称不能超过 30 个字。": "The group name may not exceed 30 characters.",
    "提示不能超过 100 个字。": "The hint may not exceed 100 characters.",
    "排序须为整数。": "The order must be a whole number.",
    "排序不能为负数。": "The order may not be negative.",
    "已有名为“%(name)s”的分组。": "A group named “%(name)s” already exists.",
    "分组不存在。": "The group does not exist.",
    # checks of a report
    "要跟进的案件编号不正确。": "The case to follow is not valid.",
    "请选择问题类别。": "Please choose what kind of problem it is.",
    "请点“定位到我的位置”,或在地图上点选问题所在的位置。": (
        "Please tap “Use my location”, or tap the map where the problem is."
    ),
    "请简要描述看到的问题。": "Please describe briefly what you saw.",
    "请填写手机号码:办理单位需要通过它向您核实情况、回访结果。": (
        "Please enter your mobile number: the office handling the problem may need to "
        "check details with you and will ask how it went."
    ),
    "手机号码应为以 1 开头的 11 位数字,如 13812345678。": (
        "A mobile number has 11 digits and starts with 1, e.g. 13812345678."
    ),
    "%(month)s月%(day)s日 %(time)s": "%(month)s/%(day)s %(time)s",
    "同一网络 1 小时内最多可提交 %(n)s 条上报,请于 %(time)s 后再试。情况紧急请拨打 %(hotline)s 市民服务热线。": (
        "At most %(n)s reports an hour can be sent from one network. Please try again "
        "after %(time)s. If it is urgent, call the citizen hotline %(hotline)s."
    ),
    "同一手机号 24 小时内最多可提交 %(n)s 条上报,请于 %(time)s 后再试。情况紧急请拨打 %(hotline)s 市民服务热线。": (
        "At most %(n)s reports a day can be sent with one mobile number. Please try again "
        "after %(time)s. If it is urgent, call the citizen hotline %(hotline)s."
    ),
    "请在地图上点选问题所在的位置。": "Please tap the map where the problem is.",
    "所选位置不在%(city)s范围内,请在地图上重新选择问题所在的位置。": (
        "The place you chose is outside %(city)s. Please tap the map where the problem is."
    ),
    "市民确认与附近已有案件为同一问题": (
        "The citizen confirmed it is the same problem as an open case nearby"
    ),
    "最多上传 %(n)s 张照片。": "At most %(n)s photos.",
    "请至少拍摄或选择 1 张现场照片。": "Please take or choose at least one photo.",
    "第 %(n)s 张照片:%(error)s": "Photo %(n)s: %(error)s",
    "浏览器不会保留上次选择的照片,请重新选择。": (
        "Browsers do not keep the photos chosen before; please choose them again."
    ),
    # shell
    "%(city)s文明城市创建": "%(city)s civilized city campaign",
    "跳到正文": "Skip to content",
    "市民随手拍导航": "Citizen portal navigation",
    "随手拍": "Report",
    "查进度": "Track",
    "问题地图": "Problem map",
    "近期案件": "Recent cases",
    "紧急情况请拨打 110、119、120;咨询投诉请拨打 12345 市民服务热线。": (
        "In an emergency call 110, 119 or 120; for questions and complaints call the "
        "citizen hotline 12345."
    ),
    "%(city)s精神文明建设委员会办公室": "%(city)s Civilization Office",
    "工作人员登录": "Staff login",
    # home
    "发现城市问题,随手拍一拍": "Seen a problem in the city? Snap it",
    "暴露垃圾、井盖缺失、乱贴小广告、占道经营……拍下来告诉我们。责任单位限时处置,办理过程凭查询码随时可查。": (
        "Litter, missing manhole covers, fly-posting, street stalls blocking the way… take a "
        "photo and tell us. The responsible office fixes it within a set time, and your "
        "tracking code shows every step."
    ),
    "我要随手拍": "Report a problem",
    "无需注册登录,一分钟即可完成上报。": "No account needed; a report takes a minute.",
    "查询办理进度": "Track a report",
    "12 位字母和数字": "12 letters and digits",
    "查询码在您提交上报后显示,不区分大小写。": (
        "You get the code when you send a report; upper or lower case does not matter."
    ),
    "近 %(days)s 天": "Last %(days)s days",
    "收到上报": "Reports received",
    "正在办理": "Being handled",
    "已经办结": "Finished",
    "全部近期案件": "All recent cases",
    "怎样办理": "How it works",
    "拍照上报": "Snap and send",
    "选好问题类别,在地图上标出位置,拍 1–3 张照片。提交后您会得到一个查询码。": (
        "Choose the kind of problem, mark it on the map and take 1–3 photos. You get a "
        "tracking code when you send it."
    ),
    "受理派遣": "Accepted and dispatched",
    "创文办受理后派给责任单位,并按标准给出处置时限。": (
        "The civilization office accepts it and sends it to the responsible office with a "
        "time limit set by the standards."
    ),
    "处置核查": "Fixed and checked",
    "责任单位处置完成,经现场核查后结案。": (
        "The responsible office fixes it; the case closes after an on-site check."
    ),
    "您来评价": "You rate it",
    "凭查询码评价办理结果;不满意可以申请重新办理。": (
        "Rate the result with your code; if you are not satisfied you can ask for it to be "
        "handled again."
    ),
    "位置未划入街道": "Not within a street area",
    # report form
    "随手拍上报": "Report a problem",
    "五步完成:选类别、标位置、拍照片、写描述、留电话。": (
        "Five steps: kind of problem, place, photos, description, phone number."
    ),
    "拨打 12345": "Call 12345",
    "还有几处需要补充,请看标红的地方。您填写的内容都已保留。": (
        "A few things are missing; see the parts marked in red. Everything you entered "
        "has been kept."
    ),
    "是什么问题": "What is the problem",
    "搜索,如“垃圾”“井盖”“小广告”": "Search, e.g. “垃圾” (litter), “井盖” (manhole cover)",
    "搜索问题类别": "Search the kinds of problem",
    "已选:": "Chosen: ",
    "问题类别尚未配置,请拨打 12345 反映问题。": (
        "The kinds of problem are not set up yet; please call 12345."
    ),
    "没有找到匹配的类别,换个说法试试,或在“其他”中选择。": (
        "Nothing matches. Try other words, or choose from “Other”."
    ),
    "在哪里": "Where is it",
    "定位到我的位置": "Use my location",
    "已在地图上标出位置": "Place marked on the map",
    "无法获取位置,请在地图上点选问题所在的位置。": (
        "Your location is not available; please tap the map where the problem is."
    ),
    "此浏览器不支持定位,请在地图上点选问题所在的位置。": (
        "This browser cannot locate you; please tap the map where the problem is."
    ),
    "已标出位置": "Place marked",
    "尚未标出位置": "No place marked yet",
    "地图:点击标出问题位置": "Map: tap to mark where the problem is",
    "在地图上选择位置需要开启浏览器的脚本功能;也可拨打 12345 反映问题。": (
        "Choosing the place on the map needs JavaScript; you can also call 12345."
    ),
    "定位不准时,点一下地图即可把标记移到问题所在的位置,也可以拖动标记。": (
        "If the location is off, tap the map where the problem is, or drag the marker."
    ),
    "地址或参照物(选填)": "Address or landmark (optional)",
    "如:人民北路 12 号门前、XX 小区东门": "e.g. in front of 12 Renmin North Road",
    "拍照片": "Photos",
    "拍照": "Take a photo",
    "从相册选择": "From the album",
    "可以上传 1–%(n)s 张照片。": "Send 1 to %(n)s photos.",
    "删除这张照片": "Remove this photo",
    "请拍清问题本身和周边参照物。照片只用于办理,不会公开。": (
        "Show the problem and something nearby to find it by. Photos are only used to "
        "handle the report and are not published."
    ),
    "说一说": "Describe it",
    "简要说明看到的情况,如:路口垃圾桶满溢,垃圾散落在人行道上": (
        "What did you see? e.g. the bin at the crossing is full and litter covers the pavement"
    ),
    "怎样联系您": "How to reach you",
    "手机号码(必填)": "Mobile number (required)",
    "11 位手机号码": "11-digit mobile number",
    "为什么要手机号:办理单位可能需要向您核实现场情况,办结后会回访您是否满意。号码只给办理人员使用,不会公开,也不会用于其他用途。": (
        "Why we ask: the office handling it may need to check details with you, and will "
        "ask afterwards whether you are satisfied. Only the staff handling it see the "
        "number; it is never published or used for anything else."
    ),
    "怎么称呼您(选填)": "Your name (optional)",
    "如:王女士": "e.g. Ms Wang",
    "网站": "Website",
    "正在提交,请稍候…": "Sending, please wait…",
    "提交即表示您确认所报情况属实。恶意、虚假上报将不予受理。": (
        "By sending you confirm the report is true. Malicious or false reports are not accepted."
    ),
    # nearby duplicates
    "如果就是您看到的问题,请直接跟进它:您同样会得到自己的查询码,并能看到它的办理进度。": (
        "If it is the problem you saw, follow it: you still get a tracking code of your "
        "own and can watch its progress."
    ),
    "相距约 %(m)s 米": "about %(m)s m away",
    "%(t)s 上报": "reported %(t)s",
    "这就是我要报的问题,跟进它": "That is my problem: follow it",
    "不是,继续上报": "No, report a new problem",
    # receipt
    "上报成功": "Report sent",
    "已跟进已有案件": "You are following an existing case",
    "您的上报已与案件 %(followed)s 合并办理,凭下面的查询码可以看到它的办理进度。": (
        "Your report is handled together with case %(followed)s; the code below shows its progress."
    ),
    "感谢您的参与!创文办将尽快受理,并派给责任单位限时处置。": (
        "Thank you! The civilization office will accept it soon and send it to the "
        "responsible office with a time limit."
    ),
    "您的查询码": "Your tracking code",
    "复制查询码": "Copy the code",
    "已复制查询码": "Code copied",
    "复制失败,请长按查询码手动复制": "Copying failed; press and hold the code to copy it",
    "请截图或抄下查询码并妥善保存。": "Take a screenshot or write the code down.",
    "凭它查询办理进度、评价办理结果、申请重新办理;查询码丢失后无法找回。": (
        "You need it to track the report, rate the result and ask for it to be handled "
        "again; a lost code cannot be recovered."
    ),
    "查看办理进度": "See the progress",
    "再拍一个问题": "Report another problem",
    # tracking
    "没有查询码?上报时未记下查询码的,可拨打 12345 市民服务热线查询。": (
        "No code? If you did not keep it, call the citizen hotline 12345."
    ),
    "请输入查询码。": "Please enter the tracking code.",
    "没有找到": "Not found",
    "没有找到这个查询码": "This tracking code was not found",
    "请核对查询码是否输入完整:共 12 位,由字母和数字组成,不含字母 O、I 和数字 0、1。": (
        "Please check the code: 12 letters and digits, never the letters O and I or the "
        "digits 0 and 1."
    ),
    "仍然查不到时,请拨打 12345 市民服务热线。": (
        "If it still cannot be found, call the citizen hotline 12345."
    ),
    "返回首页": "Back to the start",
    "办理进度": "Progress",
    "已与案件 %(code)s 合并办理:同一问题已有人上报,以下是该案件的办理进度。": (
        "Handled together with case %(code)s: the same problem had been reported, and this "
        "is that case's progress."
    ),
    "所在区域": "Area",
    "您填写的地址": "Address you gave",
    "预计办结时限": "Expected to be done by",
    "办结时间": "Closed",
    "办理过程": "Steps",
    "评价办理结果": "Rate the result",
    "您的评价:%(r)s": "Your rating: %(r)s",
    "您对办理结果满意吗?": "Are you satisfied with the result?",
    "意见和建议(选填)": "Comments (optional)",
    "提交评价": "Send rating",
    "该案件未经办结核查,无需评价。": "This case was not closed after a check; there is nothing to rate.",
    "案件办结后,您可以在这里评价办理结果。": "Once the case is closed you can rate the result here.",
    "感谢您的评价!": "Thank you for your rating!",
    "申请状态": "Request status",
    "未通过的原因": "Why it was refused",
    "创文办工作人员审核后,结果会显示在这里。": (
        "The result appears here once the civilization office has reviewed it."
    ),
    "申请已通过,案件已重新立案,将重新派遣办理。": (
        "The request was approved: the case is registered again and will be dispatched again."
    ),
    "问题没有解决?可以申请重新办理。申请由创文办工作人员审核,通过后重新派遣。": (
        "Not solved? Ask for it to be handled again. The civilization office reviews the "
        "request and, if approved, dispatches the case again."
    ),
    "如:垃圾只清理了一半,路口仍有堆放": (
        "e.g. only half the litter was cleared; there is still a pile at the crossing"
    ),
    "提交申请": "Send request",
    "申请已提交,创文办工作人员审核后会重新派遣办理,审核结果将显示在本页。": (
        "Request sent. Once the civilization office approves it the case is dispatched "
        "again; the result will appear on this page."
    ),
    # map and list
    "近 %(days)s 天市民和网格员上报的问题,按办理状态着色。点圆点查看详情。": (
        "Problems reported by citizens and grid staff in the last %(days)s days, coloured "
        "by status. Tap a dot for details."
    ),
    "图例": "Legend",
    "共 %(n)s 个问题": "%(n)s problems",
    "近期没有上报的问题。": "No problems reported recently.",
    "地图数据加载失败,请稍后刷新重试。": "The map data could not be loaded; please reload later.",
    "以列表查看": "Show as a list",
    "近 %(days)s 天上报的问题及办理情况,最新的在前。": (
        "Problems reported in the last %(days)s days and how they are being handled, newest first."
    ),
    "翻页": "Pages",
    "第 %(n)s 页": "Page %(n)s",
    "没有更多了。": "Nothing more.",
    "最近还没有上报。": "No reports yet.",
}
