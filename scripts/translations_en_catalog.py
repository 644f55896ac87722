"""English for the case catalogue page (案件类别与立结案标准) and its import/export."""

EN = {
    "案件类别与立结案标准": "Case categories and standards",
    "导出当前标准": "Export current standards",
    "导入立结案标准": "Import case standards",
    "按编码新增或更新大类、小类和立结案标准;文件中没有的条目保持不变。支持 .xlsx 和 .csv(UTF-8 或 GBK)。": "Adds or updates major categories, subcategories and standards by code; entries not in the file stay as they are. Accepts .xlsx and .csv (UTF-8 or GBK).",
    "不勾选时,只要有一行出错就不导入任何内容。": "Unchecked, a single bad row means nothing is imported.",
    "导入": "Import",
    "编码、名称或立案条件": "Code, name or registration condition",
    ("%(counter)s 个大类", "%(counter)s 个大类"): (
        "%(counter)s major category",
        "%(counter)s major categories",
    ),
    ("%(counter)s 个小类", "%(counter)s 个小类"): (
        "%(counter)s subcategory",
        "%(counter)s subcategories",
    ),
    ("%(counter)s 条立结案标准", "%(counter)s 条立结案标准"): (
        "%(counter)s case standard",
        "%(counter)s case standards",
    ),
    "标准编码": "Standard code",
    "默认": "Default",
    "尚未设置立结案标准。": "No case standard yet.",
    "该大类下没有小类。": "This major category has no subcategories.",
    "没有符合条件的案件类别。": "No categories match.",
    "数据行": "Data rows",
    "有效行": "Valid rows",
    "错误行": "Rows with errors",
    "新增": "Created",
    "更新": "Updated",
    "已导入有效行,有错误的行已跳过。": "The valid rows were imported; rows with errors were skipped.",
    "已全部导入。": "Everything was imported.",
    "返回案件类别": "Back to case categories",
    "请选择要导入的文件(.xlsx 或 .csv)。": "Please choose a file to import (.xlsx or .csv).",
    "只有创文办系统管理员可以维护案件类别。": "Only the civilization office's system administrators may maintain case categories.",
}
