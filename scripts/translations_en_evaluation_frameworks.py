"""English for the evaluation frameworks (测评体系) pages: the editions list, the tree
with its negative list, and the workbook import. The workbook's own words (sheet names
and column headers) stay Chinese in both languages: the same file imports anywhere."""

EN = {
    # list
    "导入测评体系": "Import a framework",
    "测评体系按三年一个周期分版本:测评项目 → 测评内容 → 测评指标 → 测评标准,另有负面清单。每种类型只有一个现行版本。": "Frameworks come in editions of three-year cycles: dimension → item → indicator → standard, plus a negative list. Each kind has exactly one current edition.",
    "周期": "Cycle",
    "操作": "Actions",
    "非现行": "Not current",
    "导出": "Export",
    "设为现行": "Make current",
    "尚未导入测评体系。": "No framework has been imported yet.",
    "下载导入模板,按填写说明整理官方测评体系后导入。": "Download the import template, arrange the official framework as its instructions say, then import it.",
    # tree
    "全部收起": "Collapse all",
    "全部展开": "Expand all",
    "导出 Excel": "Export to Excel",
    "总分值": "Total points",
    "标准": "Standard",
    "该测评内容下没有测评指标。": "This item has no indicators.",
    "该测评项目下没有测评内容。": "This dimension has no items.",
    "该版本没有条目。": "This edition has no entries.",
    "该版本没有负面清单。": "This edition has no negative list.",
    "%(start)s—%(end)s 周期": "Cycle %(start)s–%(end)s",
    ("%(counter)s 个测评轮次使用", "%(counter)s 个测评轮次使用"): (
        "Used by %(counter)s evaluation round",
        "Used by %(counter)s evaluation rounds",
    ),
    ("%(counter)s 项测评内容", "%(counter)s 项测评内容"): (
        "%(counter)s item",
        "%(counter)s items",
    ),
    "%(points)s 分": "%(points)s pts",
    "下级分值合计 %(points)s 分,与本项分值不一致。": "The entries below add up to %(points)s points, which differs from this entry's points.",
    # import
    "导入条数": "Records imported",
    "已导入有效行,有错误的行及其下级条目已跳过。": "The valid rows were imported; rows with errors were skipped together with the entries below them.",
    "查看测评体系": "View the framework",
    "“测评体系”表没有可导入的行,未导入任何数据。": "The “测评体系” sheet has no row that can be imported; nothing was imported.",
    "再次导入": "Import again",
    "周期为 3 年:填 2024 即 2024—2026 周期。": "A cycle lasts 3 years: 2024 means the 2024–2026 cycle.",
    "说明(选填)": "Note (optional)",
    "替换现有版本": "Replace the existing edition",
    "同一类型、同一周期已有版本时才需要勾选;已被测评轮次使用的版本不能替换。检查项对应的测评指标按编号保留。": "Only needed when an edition of the same kind and cycle exists; an edition used by an evaluation round cannot be replaced. Checklist items keep their indicator by code.",
    "不勾选时,只要有一行出错就不导入任何内容;勾选时,出错条目的下级条目也一并跳过。": "Unchecked, a single bad row means nothing is imported; checked, a bad entry is skipped together with the entries below it.",
    "文件格式": "File layout",
    "一个 .xlsx 工作簿,两个工作表:": "One .xlsx workbook with two sheets:",
    "“测评体系”": "“测评体系” (the framework)",
    "“负面清单”": "“负面清单” (the negative list)",
    "层级依次为测评项目、测评内容、测评指标、测评标准,每个条目填上一层级条目的编号作为上级编号。测评方法为实地考察、问卷调查、材料审核或数据分析。导出的文件可直接修改后再导入。": "The levels (层级) are 测评项目, 测评内容, 测评指标 and 测评标准 (dimension, item, indicator, standard); each entry gives the code of its entry one level up as 上级编号. The method (测评方法) is 实地考察, 问卷调查, 材料审核 or 数据分析 (site visit, survey, document review, data analysis). An exported file can be edited and imported again.",
    "返回测评体系": "Back to frameworks",
    "如:全国文明城市典范城市测评体系(2024年版)": "e.g. 全国文明城市典范城市测评体系(2024年版)",
    # views
    "只有创文办系统管理员可以维护测评体系。": "Only the civilization office's system administrators maintain the frameworks.",
    "请选择要导入的文件(.xlsx)。": "Choose the file to import (.xlsx).",
    "已将“%(name)s”设为现行%(kind)s测评体系。": "“%(name)s” is now the current %(kind)s framework.",
}
