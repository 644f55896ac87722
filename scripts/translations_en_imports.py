"""English for the work-order imports (chuangwen/imports) and the bulk intake
(chuangwen/cases/bulk.py)."""

EN = {
    # sources, states, modes, phases, fields
    "12345 热线工单": "12345 hotline work orders",
    "待设置对应关系": "Columns to be mapped",
    "检查中": "Checking",
    "已检查": "Checked",
    "导入中": "Importing",
    "已完成": "Done",
    "失败": "Failed",
    "全部导入或全部不导入": "Import all or nothing",
    "读取文件": "Reading the file",
    "校验与定位": "Checking and locating",
    "查找重复": "Looking for duplicates",
    "写入案件": "Writing cases",
    "工单编号": "Ticket number",
    "来电人": "Caller",
    "电话": "Phone",
    "原始时间": "Original time",
    "对应关系": "Mapping",
    "列对应关系": "Column mappings",
    "环节": "Step",
    "导入方式": "Import mode",
    "文件名": "File name",
    "文件摘要": "File digest",
    "表头": "Header",
    "表头行号": "Header row",
    "默认类别": "Default category",
    "数据行数": "Data rows",
    "已处理": "Processed",
    "可导入": "Importable",
    "新建案件": "Cases created",
    "已导入过": "Imported before",
    "错误行数": "Rows with errors",
    "错误": "Errors",
    "检查结果": "Check results",
    "失败原因": "Reason for failure",
    "最近操作人": "Last requested by",
    "检查时间": "Checked at",
    "完成时间": "Finished at",
    "导入任务": "Import job",
    "工单导入": "Work-order import",
    # refusals and row errors
    "请选择导入来源。": "Please choose where the list comes from.",
    "导入任务不存在。": "This import job does not exist.",
    "文件中没有“%(header)s”列。": "The file has no column “%(header)s”.",
    "“%(header)s”列同时对应了“%(a)s”和“%(b)s”,一列只能对应一项。": (
        "Column “%(header)s” is mapped to both “%(a)s” and “%(b)s”; a column can be mapped"
        " to one field only."
    ),
    "请指定“%(label)s”对应的列。": "Please choose the column for “%(label)s”.",
    "经度和纬度须同时指定对应的列。": "Longitude and latitude must be mapped together.",
    "请至少指定经纬度、地址、区县、街道或社区中的一项,否则无法确定问题位置。": (
        "Please map at least one of coordinates, address, district, street or community;"
        " otherwise the problems cannot be placed."
    ),
    "请指定“类别”对应的列,或选择默认类别。": (
        "Please map the “Category” column or choose a default category."
    ),
    "只找到一列表头,请确认文件包含工单编号、问题描述等多列。": (
        "Only one header column was found. Please check that the file has several columns,"
        " such as ticket number and description."
    ),
    "导入任务当前状态为“%(status)s”,不能重新检查。": (
        "The import job is “%(status)s” and cannot be checked again now."
    ),
    "请选择导入方式。": "Please choose an import mode.",
    "请先完成检查,再导入。": "Please run the check before importing.",
    "文件中有 %(n)s 行错误,不能“全部导入或全部不导入”。请修正后重新上传,或选择跳过有错误的行。": (
        "The file has %(n)s rows with errors, so it cannot be imported “all or nothing”."
        " Fix them and upload again, or choose to skip the rows with errors."
    ),
    "文件中没有数据行。": "The file has no data rows.",
    "处理文件时发生内部错误,请联系系统管理员。": (
        "An internal error occurred while processing the file. Please contact the system"
        " administrator."
    ),
    "导入前再次检查发现 %(n)s 行错误,按“全部导入或全部不导入”未导入任何案件。": (
        "The check before importing found %(n)s rows with errors; as “all or nothing” was"
        " chosen, no case was imported."
    ),
    "请填写对应关系的名称。": "Please name the mapping.",
    "名称不能超过 60 个字。": "The name may not exceed 60 characters.",
    "对应关系是空的,没有可保存的内容。": "The mapping is empty; there is nothing to save.",
    "列对应关系不存在。": "This column mapping does not exist.",
    "只能删除自己保存的列对应关系。": "You can only delete column mappings you saved yourself.",
    "只有创文办受理员、系统管理员和区级管理员可以导入工单。": (
        "Only the civilization office's operators and administrators and district operators"
        " can import work orders."
    ),
    "第%(n)s列": "Column %(n)s",
    "文件不能超过 %(mb)s MB,请拆分后导入。": (
        "The file may not exceed %(mb)s MB; please split it and import the parts."
    ),
    "文件为空。": "The file is empty.",
    "文件中没有表头和数据。": "The file has no header and no data.",
    "数据超过 %(n)s 行,请拆分后导入。": (
        "The file has more than %(n)s rows; please split it and import the parts."
    ),
    "类别名称“%(name)s”对应多个小类(%(codes)s),请填写类别编码。": (
        "The category name “%(name)s” matches several subcategories (%(codes)s); please give"
        " the category code."
    ),
    "“%(name)s”是大类,请填写其下的小类。": (
        "“%(name)s” is a main category; please give one of its subcategories."
    ),
    "未知的类别:%(name)s。": "Unknown category: %(name)s.",
    "不能为空。": "Must not be empty.",
    "不能超过 %(n)s 个字。": "May not exceed %(n)s characters.",
    "与第 %(n)s 行的工单编号重复。": "Same ticket number as row %(n)s.",
    "只能包含数字和“-”。": "May contain only digits and “-”.",
    "不在您的辖区:该位置属于%(name)s。": "Outside your area: this place belongs to %(name)s.",
    "未填写类别,且上传时没有选择默认类别。": (
        "No category given, and no default category was chosen at upload."
    ),
    "坐标不在本市范围内": "The coordinates lie outside the city",
    "%(problem)s,根据地址也无法确定位置。": (
        "%(problem)s, and the address does not place it either."
    ),
    "无法根据地址确定位置,请补充区县、街道或社区名称。": (
        "The address cannot be placed; please add the district, street or community name."
    ),
    "没有坐标也没有地址,无法确定位置。": "Neither coordinates nor an address: cannot be placed.",
    "经度和纬度须同时填写": "Longitude and latitude must both be given",
    "坐标格式不正确": "The coordinates are not numbers",
    "经度和纬度可能填反了": "Longitude and latitude may be swapped",
    "坐标超出范围": "The coordinates are out of range",
    "您的账号没有上报案件的权限。": "Your account may not report cases.",
    "批量导入不支持该来源渠道:%(channel)s": "Bulk import does not accept this channel: %(channel)s",
    "批量导入须指明来源。": "A bulk import must name its source.",
    "每条工单都须有外部编号。": "Every work order needs an external number.",
    "批量写入案件时多次冲突,请稍后重试。": (
        "Writing the cases conflicted repeatedly; please try again later."
    ),
    # pages
    "社区(与街道吻合)": "community (street agrees)",
    "仅区县": "district only",
    "%(name)s_错误报告.xlsx": "%(name)s_errors.xlsx",
    "已将“%(name)s”设为默认对应关系。": "“%(name)s” is now the default mapping.",
    "已删除列对应关系。": "The column mapping was deleted.",
    "正在检查": "Checking",
    "正在导入": "Importing",
    "等待后台任务开始": "Waiting for the background worker",
    "已处理 %(done)s / %(total)s 行(%(percent)s%%)": (
        "%(done)s of %(total)s rows processed (%(percent)s%%)"
    ),
    "处理失败": "Processing failed",
    "可以调整列对应关系后重新检查;文件本身有问题时,请修正后重新上传。": (
        "You can adjust the column mapping and check again; if the file itself is faulty,"
        " fix it and upload it again."
    ),
    "检查结果(尚未导入)": "Check results (nothing imported yet)",
    "定位情况": "Locating",
    ("按坐标定位 %(n)s 行", "按坐标定位 %(n)s 行"): (
        "%(n)s row placed by coordinates",
        "%(n)s rows placed by coordinates",
    ),
    "按地址定位到%(label)s,可信度 %(level)s:%(n)s 行": (
        "Placed by address at %(label)s level, confidence %(level)s: %(n)s rows"
    ),
    "文件中的列都已对应到上面的字段。": "Every column of the file is mapped to a field above.",
    "无法定位 %(n)s 行": "Could not be placed: %(n)s rows",
    "新建的案件为“待受理”状态,请在案件列表中受理。": (
        "The new cases are “to be accepted”; please accept them in the case list."
    ),
    "查看待受理案件": "Cases to be accepted",
    "下载错误报告(XLSX)": "Download the error report (XLSX)",
    "仅显示前 %(n)s 条,完整内容请下载错误报告。": (
        "Only the first %(n)s are shown; download the error report for all of them."
    ),
    "字段": "Field",
    "问题": "Problem",
    "无法定位的地址": "Addresses that could not be placed",
    "附近已有同类未办结案件,或文件中前面的行与之相近。导入后可在案件页合并。": (
        "An open case of the same category is nearby, or an earlier row of the file is close."
        " After the import they can be merged on the case page."
    ),
    "疑似重复于": "Possible duplicate of",
    "距离(米)": "Distance (m)",
    "本文件第 %(n)s 行": "row %(n)s of this file",
    "已导入过的工单": "Work orders imported before",
    (
        "有 %(n)s 行错误:只能跳过这些行导入,或修正文件后重新上传。",
        "有 %(n)s 行错误:只能跳过这些行导入,或修正文件后重新上传。",
    ): (
        "%(n)s row has errors: import without it, or fix the file and upload it again.",
        "%(n)s rows have errors: import without them, or fix the file and upload it again.",
    ),
    ("导入 %(n)s 行", "导入 %(n)s 行"): ("Import %(n)s row", "Import %(n)s rows"),
    "修改列对应关系并重新检查": "Change the column mapping and check again",
    "表头在第 %(row)s 行。请为每一项选择文件中对应的列,带 * 的为必填。": (
        "The header is on row %(row)s. Choose the file's column for each field; fields marked"
        " * are required."
    ),
    "文件中的列": "Column in the file",
    "(不导入)": "(not imported)",
    "保留为附加信息": "Keep as additional information",
    "勾选的其他列原样保存在案件的附加信息中。": (
        "Ticked columns are kept as they are in the case's additional information."
    ),
    "(不设默认类别)": "(no default category)",
    "保存这组对应关系": "Save this mapping",
    "设为“%(source)s”的默认对应关系": "Make it the default mapping for “%(source)s”",
    "检查": "Check",
    "新建导入": "New import",
    "支持 .xlsx 和 .csv(UTF-8 或 GBK 编码)。第一行(或标题下的第一行)为表头。": (
        ".xlsx and .csv (UTF-8 or GBK) are accepted. The first row (or the first row under a"
        " title) is the header."
    ),
    "默认类别(可选)": "Default category (optional)",
    "清单没有类别列,或某行类别为空时,按默认类别立案。": (
        "Used when the list has no category column or a row leaves it empty."
    ),
    "上传": "Upload",
    "无法使用工单导入": "Work-order import is not available to you",
    "在导入任务的“列对应关系”一步勾选“保存这组对应关系”即可保存。每个来源的默认对应关系会自动用于新上传的文件。": (
        "Save a mapping by ticking “Save this mapping” in an import job's column-mapping"
        " step. Each source's default mapping pre-fills newly uploaded files."
    ),
    "设为默认": "Make default",
    "还没有保存的对应关系。": "No saved mappings yet.",
    "导入 12345 热线工单和国测/省测反馈清单:上传文件,设置列对应关系,检查无误后导入为待受理案件。同一来源的同一工单编号只会导入一次。": (
        "Import 12345 hotline work orders and national/provincial evaluation feedback: upload"
        " the file, map its columns, check it, then import the rows as cases to be accepted."
        " A ticket number of a source is imported only once."
    ),
    "还没有导入任务。": "No import jobs yet.",
}
