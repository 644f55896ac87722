"""English for the spreadsheet import/export of the core app (the working-calendar
schedule import in the admin)."""

EN = {
    "导入放假安排": "Import holiday schedule",
    "没有可下载的错误报告。": "There is no error report to download.",
    "文件": "File",
    "Excel(.xlsx)或 CSV 文件": "Excel (.xlsx) or CSV file",
    "跳过有错误的行": "Skip rows with errors",
    "不勾选时,只要有一行出错,整个文件都不会导入。": "If unchecked, nothing from the file is imported when any row has an error.",
    "下载 %(year)s 年的日历调整(可修改后重新导入)": "Download the calendar adjustments of %(year)s (can be edited and imported again)",
    "导出 %(year)s": "Export %(year)s",
    "每行一天:日期、类型(放假/休息/上班/调休上班)、名称(选填)。文件中的日期会覆盖已有的调整;文件中没有的日期保持不变。": "One day per row: date, type (放假/休息 for a day off, 上班/调休上班 for a working day) and an optional name. Days in the file replace earlier adjustments; days not in the file stay as they are.",
    "下载导入模板": "Download the import template",
    "导入结果": "Import result",
    "共 %(total)s 行数据:有效 %(ok)s 行,有错误 %(bad)s 行。": "%(total)s data rows: %(ok)s valid, %(bad)s with errors.",
    "已导入:新增 %(created)s 天,更新 %(updated)s 天。": "Imported: %(created)s days added, %(updated)s days updated.",
    "有错误的行已跳过。": "Rows with errors were skipped.",
    "因存在错误行,未导入任何数据。请修正后重新导入,或勾选“跳过有错误的行”。": "Nothing was imported because some rows have errors. Correct them and import again, or check “Skip rows with errors”.",
    "没有可导入的行。": "There are no rows to import.",
    "行号": "Row",
    "错误信息": "Errors",
    "下载错误报告": "Download the error report",
    "开始导入": "Import",
    "返回列表": "Back to the list",
    # The admin breadcrumb reuses Django's own message.
    "Home": "Home",
}
