"""The comparison rules (scope "corpus"): DUP copies, BOIL boilerplate, REP repeated text, CAT101.

Registered in the same catalog as the row rules, so `targetqa rules`, `--select/--ignore`, the
CSV and the score treat them alike. Each check receives the run's `Analysis` (compare/analysis.py)
and yields (document, Hit) pairs. This module imports nothing heavy at load time: `targetqa rules`
must start instantly.
"""

from __future__ import annotations

from collections.abc import Iterator

from targetqa.checks.registry import Hit, rule
from targetqa.model import Document

# --------------------------------------------------------------------------- DUP


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _matched_rows(p) -> str:
    return "、".join(f"第{i + 1}行" if i == j else f"第{i + 1}行（对方第{j + 1}行）" for i, j, _ in p.matches)


def _other(p) -> str:
    return p.b.where(p.same_doc)


@rule(
    "DUP001", "copied-table", "error", "corpus",
    "整表照搬本报告另一个项目的绩效目标表",
    "“{title}”的绩效目标表与{other}雷同：{matched}/{rows} 行相同（相似度 {sim}）{clash}。这张表没有写出本项目自己的目标。",
    "每个项目的绩效目标表应针对该项目的资金用途和产出来写。把另一个项目的表整张复制过来（有时连项目编码、"
    "资金用途都没改），说明本项目实际上没有设定绩效目标，审核时应退回重填。两张表只是都有“服务对象满意度”"
    "这类通用行，或只是一级、二级指标名称相同，不算照搬。",
    "002 表4“党员档案县级集中管理经费”：6 行与表3“党内关爱专项资金”逐字相同，表头的项目名称、项目编码"
    "13030325P004950100029 和资金用途也都是表3的",
)
def copied_table(an) -> Iterator[tuple[Document, Hit]]:
    for doc, pairs in zip(an.docs, an.in_report):
        for p in pairs:
            if p.twin:
                continue
            severe = bool(p.clashes) or (p.same_values and len(p.matches) / max(len(p.a.rows), len(p.b.rows)) >= 0.8)
            if p.clashes:
                clash = "，表头的" + "、".join(f for f, _ in p.clashes) + "也是该表的"
            else:
                clash = "，数值也相同" if p.same_values else "，只有数值不同"
            yield doc, Hit(
                {"title": p.a.title, "other": _other(p), "matched": len(p.matches), "rows": len(p.a.rows),
                 "sim": _pct(p.similarity), "clash": clash},
                _pair_evidence(p), severity=None if severe else "warning", table=p.a.table,
            )


def _pair_evidence(p) -> str:
    parts = [f"与{_other(p)}相似度 {_pct(p.similarity)}", f"相同的行：{_matched_rows(p)}"]
    if p.same_values:
        parts.append("数值也相同")
    parts += [e for _, e in p.clashes]
    return "；".join(parts)


@rule(
    "DUP002", "funding-source-twin", "info", "corpus",
    "同一项目不同资金来源的两张表内容相同",
    "“{title}”与{other}是同一项目的不同资金来源，两表 {matched}/{rows} 行相同（相似度 {sim}）。",
    "省级、中央、市级等不同来源的补助资金分别填报绩效目标表时，常把同一张表复制一份。项目内容相同，"
    "这可以理解，所以只作提示；但各表的数量、成本等指标应写本笔资金对应的规模（人数、金额），"
    "而不是两张表重复同一组数字。",
    "000 表1、表2“老党员生活补贴省级/中央补助经费”4 行全部相同；001 表2（省级）与表21（中央）5/6 行相同",
)
def funding_source_twin(an) -> Iterator[tuple[Document, Hit]]:
    for doc, pairs in zip(an.docs, an.in_report):
        for p in pairs:
            if not p.twin:
                continue
            evidence = _pair_evidence(p)
            yield doc, Hit(
                {"title": p.a.title, "other": _other(p), "matched": len(p.matches), "rows": len(p.a.rows), "sim": _pct(p.similarity)},
                evidence, table=p.a.table,
            )


@rule(
    "DUP003", "copied-from-other-report", "warning", "corpus",
    "与其他报告（本部门往年或其他部门）的绩效目标表雷同",
    "“{title}”的绩效目标表与{other}雷同：{matched}/{rows} 行相同（相似度 {sim}）。{how}",
    "本部门往年的同一项目表原样沿用，说明目标值没有随年度任务更新；与其他部门的表雷同，说明是照抄的模板，"
    "没有写本项目自己的产出和效益。两种情况都应结合本年度的任务重新设定指标。",
    "五份语料中没有跨报告的整表照搬（最接近的是 002 表17“综合事务经费”沿用 000 表5 的两行）；"
    "tests/test_compare_tables.py 用 000 的真实表格验证",
)
def copied_from_other_report(an) -> Iterator[tuple[Document, Hit]]:
    by_doc = {id(d): d for d in an.docs}
    for p in an.cross_report:
        doc = by_doc[id(p.a.doc)]
        if p.b.dept == p.a.dept:
            how = f"这是本部门 {p.b.year} 年报告中的表，沿用未更新。" if p.b.year != p.a.year else "同一部门同年度的另一份报告中有相同的表。"
        else:
            how = "这是另一个部门的表。"
        evidence = _pair_evidence(p)
        yield doc, Hit(
            {"title": p.a.title, "other": _other(p), "matched": len(p.matches), "rows": len(p.a.rows),
             "sim": _pct(p.similarity), "how": how},
            evidence, table=p.a.table,
        )


@rule(
    "DUP004", "foreign-row", "error", "corpus",
    "指标行是从另一个项目的表复制来的",
    "“{name}”一行与{other}第{other_row}行相同，内容属于那个项目（{why}），不是“{title}”的指标。",
    "从其他项目的表里复制来的行，写的是别的项目的工作（连指标值确定依据都是别的项目的文件），"
    "年终无法用来考核本项目。应删除或改写成本项目的指标。",
    "001 表18“社区工作经费”第6行“长期使用性：能够长期较好的推动督查工作开展”，依据“廊广字【2017】58号”，"
    "与表17“全区重点工作大督查活动经费”第6行一字不差",
)
def foreign_row(an) -> Iterator[tuple[Document, Hit]]:
    from targetqa.compare.foreign import foreign_rows

    for doc, table, row, hit_values, evidence in foreign_rows(an):
        yield doc, Hit(hit_values, evidence, table=table, row=row)


@rule(
    "DUP005", "other-kind-wording", "warning", "corpus",
    "指标行使用了另一类项目的用语",
    "“{name}”一行使用了{kind}的用语“{cue}”，与“{title}”不符，疑为从其他项目套用。",
    "“结项”“立项项目”“研究任务”等是科研课题类项目的用语；出现在补助、津贴、运转经费的表里，"
    "说明这一行是从别的项目表套用来的，指标并不反映本项目。",
    "001 表9“下派选调生到村工作中央财政补助资金”：“优良率：结项检点优秀等级项目占结项总数量的比例”、"
    "“完成率：按照要求和计划完成研究任务的项目在所有立项项目中的比例”",
)
def other_kind_wording(an) -> Iterator[tuple[Document, Hit]]:
    from targetqa.compare.foreign import other_kind_rows

    for doc, table, row, values, evidence in other_kind_rows(an):
        yield doc, Hit(values, evidence, table=table, row=row)


# --------------------------------------------------------------------------- BOIL


@rule(
    "BOIL001", "boilerplate-row", "info", "corpus",
    "各部门通用的套话指标行",
    "“{name}”（{value}）在 {n} 个其他部门的表里几乎一字不差地出现，没有说明“{title}”的具体内容。",
    "“服务对象满意度 ≥90% 调查问卷”之类的行在各部门、各项目、各年度的表里反复出现，不说明服务对象是谁、"
    "满意什么。可以保留满意度指标，但应写明对象和内容（如“参训学员对课程的满意度”）。"
    "判断依据是随附语料的统计：同一指标名在其他部门表中出现的部门数（不计本部门）。",
    "002 表1 等 10 张表的“服务对象满意度：服务对象满意度 ≥90% 调查问卷”",
    convention=True,
)
def boilerplate_row(an) -> Iterator[tuple[Document, Hit]]:
    for n, (doc, sigs) in enumerate(zip(an.docs, an.ctx.doc_sigs)):
        for s in sigs if an.is_target(n) else ():
            for r, info in zip(s.rows, an.boil_info[id(s)]):
                if info.boilerplate:
                    row = r.row
                    yield doc, Hit(
                        {"name": row.level3, "value": row.shown_value, "n": len(info.depts), "title": s.title},
                        f"指标名模板“{info.name}”出现于其他部门：{'、'.join(info.depts[:5])}"
                        + ("等" if len(info.depts) > 5 else "") + f"；描述：{row.description or '（空）'}",
                        table=s.table, row=row,
                    )


@rule(
    "BOIL002", "boilerplate-table", "warning", "corpus",
    "整张表基本由套话指标组成",
    "“{title}”一表 {n}/{rows} 行是通用套话（{names}），看不出这笔资金要做成什么。",
    "一张表的大多数行都是“工作完成率 ≥90%”“服务对象满意度 ≥90%”这类任何项目都能填的通用指标时，"
    "这张表等于没有设定项目自己的绩效目标。应至少写出本项目的产出数量、质量标准和具体效益。",
    "002 表2“基层党建工作经费”：工作完成率、各项工作完成及时率、按预算资金完成率、服务对象满意度，全部 ≥90%",
    convention=True,
)
def boilerplate_table(an) -> Iterator[tuple[Document, Hit]]:
    for n, (doc, sigs) in enumerate(zip(an.docs, an.ctx.doc_sigs)):
        for s in sigs if an.is_target(n) else ():
            infos = an.boil_info[id(s)]
            generic = [i for i, info in enumerate(infos) if info.generic]
            if len(s.rows) >= 4 and len(generic) >= 3 and len(generic) / len(s.rows) >= 0.6 and any(
                info.boilerplate for info in infos
            ):
                names = "、".join(s.rows[i].row.level3 for i in generic[:6])
                yield doc, Hit(
                    {"title": s.title, "n": len(generic), "rows": len(s.rows), "names": names},
                    "通用行：" + "；".join(f"第{s.rows[i].row_no}行 {s.rows[i].row.level3} {s.rows[i].row.shown_value}"
                                        for i in generic),
                    table=s.table,
                )


# --------------------------------------------------------------------------- REP


@rule(
    "REP001", "repeated-text", "warning", "corpus",
    "同一段文字在文中重复粘贴",
    "第{line}行起{label}有 {n} 处文字重复粘贴，如“{first}”出现 {times} 次。",
    "同一句目标或职责连写两三遍，是复制粘贴时没有检查的痕迹，也让读者无法判断真正的目标有几项。"
    "请删除重复的句子。",
    "002 第877–907行“绩效目标：区管干部管理工作；区管干部管理工作；区管干部管理工作；培养锻炼干部……”"
    "（000 第91行同样三遍）",
)
def repeated_text(an) -> Iterator[tuple[Document, Hit]]:
    from targetqa.compare.prose import repeated_sentences

    for n, doc in enumerate(an.docs):
        if not an.is_target(n):
            continue
        for g in repeated_sentences(doc, an.sentences_of(n)):
            text, times, _lines = max(g.passages, key=lambda p: (len(p[0]) * (p[1] - 1), p[1]))
            evidence = "；".join(
                f"“{_clip(_unlabel(t), 40)}”出现 {k} 次（第{'、'.join(str(x) for x in ls)}行）" for t, k, ls in g.passages
            )
            yield doc, Hit(
                {"line": g.line, "label": f"“{g.label}”一段" if g.label else "的段落", "n": len(g.passages),
                 "first": _clip(_unlabel(text), 30), "times": times},
                evidence, line=g.line,
            )


@rule(
    "REP002", "carried-over-text", "warning", "corpus",
    "照搬本部门往年报告的文字",
    "第{line}–{end}行{labels}与{source}的文字相同（{share}），是照搬往年的内容。",
    "绩效目标、职责目标和绩效指标应按本年度的任务来写。与五年前的报告一字不差，说明目标没有随工作更新。"
    "只比较本部门往年的报告；在其他部门的报告里也出现的句子（名词解释、法定表述、统一的职责文本）不计入。",
    "002（2025年）第837–957行的职责目标、绩效目标、绩效指标与 000（2020年）第77–117行相同",
)
def carried_over_text(an) -> Iterator[tuple[Document, Hit]]:
    from targetqa.compare.prose import carried_over
    from targetqa.compare.reference import department_key

    for n, doc in enumerate(an.docs):
        if not an.is_target(n):
            continue
        sents = an.sentences_of(n)
        runs = carried_over(doc, department_key(doc), an.sentence_lookup(n), sents, an.sentence_keys_of(n))
        an.forget_sentences(n)  # thousands of reports: keep one report's sentences at a time
        for run in runs:
            src = run.source
            where = f"{src.name}（{src.year}年）" if src.year else src.name
            lines = "、".join(str(x) for x in src.lines[:8]) + ("等" if len(src.lines) > 8 else "")
            labels = "的" + "、".join(run.labels) if run.labels else "的文字"
            yield doc, Hit(
                {"line": run.line, "end": run.end_line, "labels": labels, "source": where,
                 "share": f"相同文字 {run.chars} 字，占 {_pct(run.chars / run.total)}"},
                f"{where}第{lines}行；相同文字 {run.chars}/{run.total} 字（{_pct(run.chars / run.total)}）",
                line=run.line,
            )


@rule(
    "REP003", "stale-year", "warning", "corpus",
    "年份未更新：把上一年写成本年度",
    "{year}年度的报告写“{snippet}”，把 {old} 年当作本年度，疑为沿用上年文字未改。",
    "预算报告讲的是本年度的安排。正文以上一年开头说“将继续”“预算安排”，说明这段文字是从上一年的报告"
    "复制来的，数字和工作安排可能也没有更新。",
    "002（2025年预算）第977行“2024年，区委组织部将继续坚持……”；第788行“2024年，我部门财政拨款“三公”经费预算安排11.27万元”",
)
def stale_year(an) -> Iterator[tuple[Document, Hit]]:
    from targetqa.compare.prose import stale_years

    for n, doc in enumerate(an.docs):
        if not an.is_target(n):
            continue
        for s, old, verb in stale_years(doc, an.sentences_of(n)):
            yield doc, Hit(
                {"year": doc.year, "snippet": _clip(s.text, 30), "old": old},
                f"报告年度 {doc.year}（{doc.kind or '报告'}）；句首年份 {old}，动词“{verb}”",
                line=s.line,
            )


def _unlabel(text: str) -> str:
    """'绩效目标：区管干部管理工作；' → '区管干部管理工作；' (the label is not part of the repeat)."""
    from targetqa import rx

    return rx.sub(r"^[\u4e00-\u9fa5]{2,8}[：:]", "", text)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------- CAT


@rule(
    "CAT101", "level2-classifier", "warning", "corpus",
    "指标内容与所在二级指标不符（分类器）",
    "“{name}”放在“{written}”下，但内容（“{cue}”）属于“{pred}”。",
    "二级指标决定一行衡量的是什么：数量、质量、时效、成本还是满意度。用语料训练的分类器（TF-IDF 词语与字 "
    "n-gram + 逻辑回归）判断这一行属于另一个二级，且行内有该二级的典型用语、没有所在二级的用语时才提示；"
    "宁可漏报，不误报。",
    "002 表14 数量指标“人才达标率 ≥90%”（达标率，属质量指标；分类器 0.81）",
)
def level2_classifier(an) -> Iterator[tuple[Document, Hit]]:
    from targetqa.compare.foreign import level2_disagreements

    for doc, table, row, values, evidence in level2_disagreements(an):
        yield doc, Hit(values, evidence, table=table, row=row)
