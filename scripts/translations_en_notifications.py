"""English for the messages of the notifications app (chuangwen/notifications)."""

EN = {
    "消息通知": "Notifications",
    "站内通知": "Notifications",
    "接收人": "Recipient",
    "通知类型": "Kind",
    "标题": "Title",
    "正文": "Text",
    "链接": "Link",
    "发送时间": "Sent",
    "阅读时间": "Read",
    "全部标为已读": "Mark all as read",
    "标为已读": "Mark as read",
    "筛选": "Filter",
    "全部": "All",
    "未读": "Unread",
    "没有未读通知。": "No unread notifications.",
    "暂无通知。": "No notifications yet.",
    ("已将 %(n)s 条通知标为已读。", "已将 %(n)s 条通知标为已读。"): (
        "Marked %(n)s notification as read.",
        "Marked %(n)s notifications as read.",
    ),
    ("%(counter)s 条未读通知", "%(counter)s 条未读通知"): (
        "%(counter)s unread notification",
        "%(counter)s unread notifications",
    ),
}
