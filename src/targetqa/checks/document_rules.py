"""Checks on a whole document: could it be read, and do its own totals match its tables."""

from __future__ import annotations

from collections.abc import Iterator

from targetqa.checks.registry import Hit, figure, rule
from targetqa.model import Document

_AMOUNT_TOLERANCE = 0.01  # 1 %: statements round to 万元


@rule(
    "EXT001", "no-performance-table", "error", "document",
    "未找到绩效目标表",
    "没有在报告中找到项目绩效目标表（指标表），无法逐行检查，本报告不计分。",
    "报告应公开每个项目的绩效目标表。如果表格在附件或单独的文件中，请一并提交；"
    "如果是扫描件，请提供带文字层的版本。",
    "corpora/pdf/上海市普陀区商务委员会25年预算.pdf：正文只说“详见单位的项目绩效目标表”",
)
def no_performance_table(doc: Document) -> Iterator[Hit]:
    if doc.text_ok and not any(t.rows for t in doc.tables):
        stated = next((s for s in doc.statements if s.projects), None)
        evidence = f"文中称：{stated.text}" if stated else f"已读取 {len(doc.lines)} 行文字，找到表 {len(doc.tables)} 张、指标行 0 行"
        yield Hit({}, evidence, line=stated.line if stated else None)


@rule(
    "EXT003", "table-not-read", "warning", "document",
    "绩效目标表未能可靠读取",
    "第 {line} 行起的表格{title}未能可靠读取（{reason}），其指标行未做检查，得分只按已读取的表格计算。",
    "网页或转换工具把表格压平后，部分表格的单元格无法可靠对应到表头的列。为避免对读错的行下结论，"
    "这张表的行不做逐行检查。请提供原始 DOCX/XLSX 或带表格结构的文本。",
    "（示例，语料中没有实例）表头可识别，表头之后却只有“本表其余内容以图片形式提供”之类的文字",
)
def table_not_read(doc: Document) -> Iterator[Hit]:
    for line, title, reason in doc.unread:
        shown = f"“{title}”" if title else ""
        yield Hit({"line": line, "title": shown, "reason": reason}, reason, line=line)


@rule(
    "EXT004", "rows-not-read", "warning", "document",
    "指标行未能可靠读取",
    "表{table_no}{title}中有 {count} 行未能可靠读取（第 {lines} 行：{reason}），这些行未做检查，也不计入得分。",
    "从窄列的 PDF 转出的文字把长单元格切成几行；名称恰好在列宽处断开、下一行又不像指标值时，"
    "无法确定下一行是名称的后半还是指标值。为避免对读错的行下结论，这些行不做检查。"
    "请提供原始 DOCX/XLSX 或带表格结构的文本。",
    "（示例，语料中没有实例）一列宽 8 个字的 PDF 文字：“对满足人民群众日”“益提高的文化需求”“的可持续影响”“长期”",
)
def rows_not_read(doc: Document) -> Iterator[Hit]:
    for table in doc.tables:
        if table.unparsed:
            lines = "、".join(map(str, table.unparsed))
            reason = "单元格在窄列中换行，指标名称与指标值的分界无法确定"
            title = f"“{table.project or table.title}”" if table.project or table.title else ""
            yield Hit({"table_no": table.table_no, "title": title, "count": len(table.unparsed), "lines": lines,
                       "reason": reason}, f"第 {lines} 行", table=table, line=table.unparsed[0])


@rule(
    "EXT002", "unreadable-text-layer", "error", "document",
    "文本层无法读取",
    "报告的文字无法可靠读取（{reason}），未做逐行检查，本报告不计分。",
    "扫描件没有文字层，或 PDF 字体缺少编码映射（出现 (cid:123) 之类字符）。请提供可复制文字的版本。",
    "（示例，语料中没有实例）只有图片、没有文字层的扫描版 PDF",
)
def unreadable_text_layer(doc: Document) -> Iterator[Hit]:
    if not doc.text_ok:
        yield Hit({"reason": "；".join(doc.notes) or "文字层损坏"}, "；".join(doc.notes))


@rule(
    "BUD005", "stated-count-mismatch", "warning", "document",
    "报告自述的项目数或金额与表格不符",
    "报告称{claim}，但实际找到 {found}。",
    "正文对绩效目标项目个数和金额的说明，应与后面公开的项目绩效目标表一致；不一致说明漏表或重复。",
    "（示例，语料中没有实例）报告称“本部门编报绩效目标的项目共25个，涉及项目预算资金11381.60万元”"
    "（corpora/pdf/上海市普陀区商务委员会25年预算.pdf 的原话），正文却只有 20 张项目绩效目标表",
)
def stated_count_mismatch(doc: Document) -> Iterator[Hit]:
    # project tables in a budget; completion tables (项目绩效目标完成情况表) in a 决算
    tables = [t for t in doc.tables if t.kind in ("project", "final") and t.rows]
    if not tables:
        return  # EXT001 already says no table was found
    for st in doc.statements:
        if st.projects is not None and st.projects != len(tables):
            yield Hit({"claim": f"有 {st.projects} 个项目编报了绩效目标", "found": f"{len(tables)} 张项目绩效目标表"},
                      st.text, line=st.line)
        budgets = [t.budget for t in tables if t.budget is not None]
        if st.amount is not None and len(budgets) == len(tables):
            total = sum(budgets)
            if abs(total - st.amount) > max(_AMOUNT_TOLERANCE * st.amount, 0.01):
                yield Hit({"claim": f"项目资金共 {figure(st.amount)} 万元", "found": f"各表年度资金合计 {figure(total)} 万元"},
                          st.text, line=st.line)
