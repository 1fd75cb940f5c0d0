"""Checks on one indicator row: units, operators, values, echoes, category cues.

Each rule flags only what the row's own words prove. Where the nature of an indicator is
uncertain (Measure.UNKNOWN) the rule stays silent: precision first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from targetqa.checks.registry import Hit, rule
from targetqa.checks.semantics import (
    Measure,
    ValueKind,
    is_cost_row,
    level1_of,
    level2_of,
    measure_of,
    value_info,
)
from targetqa.lexicon import GRADED_VALUES, VAGUE_VALUES
from targetqa.model import Document, Row, Table
from targetqa.taxonomy import compact


def _shown(row: Row) -> str:
    return row.value_text or row.shown_value


def _is_final(table: Table) -> bool:
    return table.kind == "final"


# --------------------------------------------------------------------------- UNIT


@rule(
    "UNIT001", "money-as-percent", "error", "row",
    "金额类指标用百分比表示",
    "“{name}”衡量的是金额，指标值却写成“{value}”（百分比），无法据此考核成本或资金。",
    "成本、经费、预算控制数等金额类指标应写明金额上限（如 ≤34.92 万元）。写成“≥90%”既不是金额，"
    "也说不清是谁的百分之九十，年终无法核对。",
    "002 表3 成本指标“成本控制数 ≥ 90 %”",
)
def money_as_percent(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if info.kind is ValueKind.PERCENT and measure_of(row) is Measure.MONEY:
        yield Hit({"name": row.level3, "value": _shown(row)}, f"指标性质：金额；值：{_shown(row)}")


@rule(
    "UNIT002", "cost-row-as-percent", "warning", "row",
    "成本指标用百分比表示",
    "成本指标“{name}”的指标值是“{value}”，没有给出成本金额。",
    "成本指标应反映项目花多少钱（元、万元，或元/人、元/场等单位成本），通常用 ≤ 表示上限。"
    "用完成率、正确率等百分比填写成本指标，说明不了成本控制的目标。",
    "002 表1 成本指标“投保完成率 ≥ 90 %”",
    convention=True,
)
def cost_row_as_percent(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if is_cost_row(row) and info.kind is ValueKind.PERCENT and measure_of(row) is not Measure.MONEY:
        yield Hit({"name": row.level3, "value": _shown(row)}, f"二级指标：{row.level2}；值：{_shown(row)}")


@rule(
    "UNIT003", "count-as-percent", "error", "row",
    "数量类指标用百分比表示",
    "“{name}”是人数或数量，指标值却写成“{value}”（百分比），应写明具体数量和单位。",
    "人数、次数、个数等数量指标应填写具体数量和计量单位（如 ≥800 卷、=14 个）。"
    "“投保车辆数 ≥90%”之类写法无法判断计划投保多少辆车。",
    "002 表1 数量指标“投保车辆数 ≥ 90 %”",
)
def count_as_percent(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if info.kind is ValueKind.PERCENT and measure_of(row) is Measure.COUNT:
        yield Hit({"name": row.level3, "value": _shown(row)}, f"指标性质：数量；值：{_shown(row)}")


@rule(
    "UNIT004", "rate-over-100", "error", "row",
    "比率超过 100%",
    "比率类指标“{name}”的值为 {value}，超过 100%。",
    "完成率、满意度等比率最大为 100%。超过 100% 的值往往是“≥92%”中的“≥”被识别成了“2”，"
    "或者把数量误填成了百分比。",
    "（示例）“满意度 292%”",
)
def rate_over_100(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if info.number is None or info.number <= 100:
        return
    measure = measure_of(row)
    if info.kind is ValueKind.PERCENT and measure in (Measure.RATE, Measure.SATISFACTION, Measure.UNKNOWN):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"值 {info.number:g}% > 100%")
    elif info.kind is ValueKind.NUMBER and measure is Measure.SATISFACTION:
        yield Hit({"name": row.level3, "value": _shown(row)}, f"满意度值 {info.number:g} > 100")


@rule(
    "UNIT005", "rate-with-count-unit", "error", "row",
    "比率类指标用了数量单位",
    "“{name}”是比率或满意度，指标值却是“{value}”（数量）。",
    "名称为“……率”“……度”的指标是比率，应以百分比表示；填写“149个”之类数量，"
    "说明指标名称和指标值有一个写错了。",
    "001 表1 质量指标“拨付到位率 149个”",
)
def rate_with_count_unit(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if info.kind in (ValueKind.COUNT, ValueKind.MONEY) and measure_of(row) in (Measure.RATE, Measure.SATISFACTION):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"指标性质：比率；单位：{info.unit}")


@rule(
    "UNIT006", "odd-percent-unit", "warning", "row",
    "百分号写成文字",
    "“{name}”的单位写作“{unit}”，应写作 %。",
    "“≥90百分之”“90百分比”等写法多为系统模板或转换残留，应统一写作“≥90%”。",
    "（示例）“≥90百分之”",
)
def odd_percent_unit(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    unit = compact(row.unit)
    if row.value and unit.startswith(("百分之", "百分比", "百分点")) and re.match(r"^\d", compact(row.value)):
        yield Hit({"name": row.level3, "unit": row.unit}, f"值：{_shown(row)}")


@rule(
    "UNIT007", "number-without-unit", "warning", "row",
    "数值缺少计量单位",
    "“{name}”的指标值“{value}”没有计量单位。",
    "定量指标需要同时写明符号、数值和计量单位，否则无法判断 100 是 100 人、100 次还是 100%。",
    "000 表1 数量指标“老党员生活补贴补助资金发放人数 = 100.00”（单位栏为空）",
)
def number_without_unit(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if info.kind is not ValueKind.NUMBER or _is_final(table):
        return
    measure = measure_of(row)
    if measure in (Measure.RATE, Measure.SATISFACTION):
        # '≥ 95' for a satisfaction rate: % is implied; still worth a note
        yield Hit({"name": row.level3, "value": _shown(row)}, "比率未写 %", severity="info")
    elif measure in (Measure.COUNT, Measure.MONEY, Measure.DURATION, Measure.UNKNOWN):
        yield Hit({"name": row.level3, "value": _shown(row)}, "单位栏为空")


# --------------------------------------------------------------------------- DIR

_AT_LEAST = re.compile(r"不少于|不低于|不小于|至少|以上|及以上|大于等于|不得少于|达到\d")
_AT_MOST = re.compile(r"不超过|不高于|不大于|以内|以下|控制在|之内|不得超过|低于\d")
_POSITIVE_RATE = re.compile(r"满意|完成率|覆盖率|合格率|达标率|及时率|到位率|参与率|通过率|准确率|完好率|知晓率|执行率|使用率|发放率|兑现率|正确率|精准率|保障率|成功率|参加率|出勤率")
_NEGATIVE_RATE = re.compile(r"故障率|投诉率|事故率|差错率|超支率|失误率|错误率|发生率|流失率|空置率|损耗率|返工率")


@rule(
    "DIR001", "operator-contradicts-description", "error", "row",
    "符号与描述矛盾",
    "“{name}”的描述写“{phrase}”，指标值却用了“{op}”。",
    "描述写“不少于/不低于/以上”时应使用 ≥，写“不超过/以内”时应使用 ≤。两者矛盾时，"
    "年终无法判断目标是上限还是下限。",
    "（示例）描述“全年开展培训不少于3次”，指标值“≤3次”",
)
def operator_contradicts_description(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    text = compact(row.description)
    if row.operator in ("≤", "<"):
        m = _AT_LEAST.search(text)
        if m:
            yield Hit({"name": row.level3, "phrase": m.group(0), "op": row.operator}, f"描述：{row.description}；值：{_shown(row)}")
    elif row.operator in ("≥", ">"):
        m = _AT_MOST.search(text)
        if m and not _AT_LEAST.search(text):
            yield Hit({"name": row.level3, "phrase": m.group(0), "op": row.operator}, f"描述：{row.description}；值：{_shown(row)}")


@rule(
    "DIR002", "upper-bound-on-positive-rate", "error", "row",
    "正向比率用了 ≤",
    "“{name}”越高越好，却写成“{value}”（上限）。",
    "完成率、满意度、覆盖率等正向指标应使用 ≥ 或 =；写成 ≤ 等于允许结果更差。",
    "（示例）“服务对象满意度 ≤90%”",
)
def upper_bound_on_positive_rate(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if row.operator in ("≤", "<") and _POSITIVE_RATE.search(compact(row.level3)) and not _NEGATIVE_RATE.search(compact(row.level3)):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"符号：{row.operator}")


@rule(
    "DIR003", "lower-bound-on-cost", "warning", "row",
    "成本上限用了 ≥",
    "成本指标“{name}”写成“{value}”，成本应设上限（≤）。",
    "成本指标反映支出控制，应写“≤ 金额”。写成“≥ 金额”表示至少花这么多钱，与控制成本的目的相反。",
    "（示例）“预算控制数 ≥10万元”",
    convention=True,
)
def lower_bound_on_cost(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if row.operator in ("≥", ">") and info.kind is ValueKind.MONEY and (is_cost_row(row) or measure_of(row) is Measure.MONEY):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"符号：{row.operator}；单位：{info.unit}")


@rule(
    "DIR004", "lower-bound-on-negative-rate", "error", "row",
    "负向比率用了 ≥",
    "“{name}”越低越好，却写成“{value}”（下限）。",
    "故障率、投诉率、差错率等负向指标应使用 ≤ 或 <。",
    "（示例）“设备故障率 ≥5%”",
)
def lower_bound_on_negative_rate(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if row.operator in ("≥", ">") and _NEGATIVE_RATE.search(compact(row.level3)):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"符号：{row.operator}")


# --------------------------------------------------------------------------- VAL

_GRADED = set(GRADED_VALUES)


def _vague_word(text: str) -> str | None:
    for word in VAGUE_VALUES:
        if word in text:
            return word
    return None


@rule(
    "VAL001", "vague-value", "warning", "row",
    "指标值不可考核",
    "“{name}”的指标值是“{value}”，没有可以在年终核对的目标。",
    "“有效”“长期”“及时”“稳步提高”等措辞无法在年终判断是否完成。定量指标应写数值和单位；"
    "确属定性的指标应写分级目标（达到预期目标 / 部分达到 / 未达到，或 好 / 较好 / 一般）。",
    "004 表1 社会效益指标“档案管理数字化 有效”",
)
def vague_value(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if _is_final(table):
        return
    info = value_info(row)
    value = compact(row.value)
    if info.kind is not ValueKind.TEXT or not value or value in _GRADED:
        return
    if len(value) > 16:
        return  # a sentence describing a qualitative target: judged by a reader, not here
    word = _vague_word(value)
    if word:
        yield Hit({"name": row.level3, "value": row.value}, f"含“{word}”")


@rule(
    "VAL002", "zero-with-text", "error", "row",
    "数值为 0 却附文字",
    "“{name}”的指标值写成“{value}”：数值 0 加一句话，既不是数量也不是分级目标。",
    "系统模板要求填数值时填了 0.00，再把文字写进单位栏，年终无法考核。应改为可核对的数值，"
    "或把指标改为定性指标并写分级目标。",
    "000 表1 社会效益指标“老党员生活情况 0.00 有效改善”",
)
def zero_with_text(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    value = compact(row.value)
    unit = compact(row.unit)
    if re.fullmatch(r"0+(?:\.0+)?", value) and len(unit) >= 2 and not re.fullmatch(r"[%元个次人项]|万元", unit):
        yield Hit({"name": row.level3, "value": f"{row.value} {row.unit}"}, f"值：{row.value}；单位栏：{row.unit}")


@rule(
    "VAL003", "missing-value", "error", "row",
    "缺少指标值",
    "“{name}”没有填写指标值。",
    "每个指标都需要目标值；空着的指标年终无法评价。",
    "（示例）三级指标有名称，指标值栏为空",
)
def missing_value(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if not compact(row.level3):
        return
    if _is_final(table):
        if not compact(row.expected):
            yield Hit({"name": row.level3}, "预期指标值为空")
        return
    if not compact(row.value) and not compact(row.unit) and row.operator not in ("文字描述", "定性"):
        yield Hit({"name": row.level3}, "指标值为空")


@rule(
    "VAL004", "truncated-value", "error", "row",
    "指标值残缺",
    "“{name}”的指标值只有“{value}”，像是没写完。",
    "单个汉字（不是 好/优/良/中/差/是/否/无 这样的分级）的指标值通常是录入时被截断。",
    "001 表21 时效指标“补助发放及时 及”",
)
def truncated_value(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    value = compact(row.value)
    if len(value) == 1 and "\u4e00" <= value <= "\u9fff" and value not in _GRADED and not compact(row.unit):
        yield Hit({"name": row.level3, "value": row.value}, f"值：{row.value}")


# --------------------------------------------------------------------------- ECHO


def _norm(text: str) -> str:
    return re.sub(r"[\s，,。.；;：:、“”\"'（）()]", "", text or "")


@rule(
    "ECHO001", "description-repeats-name", "info", "row",
    "指标描述照抄指标名称",
    "“{name}”的指标描述与指标名称完全相同，没有说明口径。",
    "指标描述（指标说明）应说明怎么算：统计范围、分子分母、时间口径。照抄名称等于没有描述。",
    "002 表2 质量指标“工作完成率 / 工作完成率”",
)
def description_repeats_name(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    name, desc = _norm(row.level3), _norm(row.description)
    if name and desc == name:
        yield Hit({"name": row.level3}, f"三级指标：{row.level3}；描述：{row.description}")


@rule(
    "ECHO003", "basis-repeats-row", "warning", "row",
    "指标值确定依据照抄指标",
    "“{name}”的确定依据写的是“{basis}”，只是重复了指标本身。",
    "确定依据应说明目标值从哪里来：计划标准（文件、方案）、历史标准、行业标准或预算支出标准。",
    "002 表1 数量指标“投保车辆数”，依据“投保车辆数”",
)
def basis_repeats_row(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    basis = _norm(row.basis)
    if basis and basis in (_norm(row.level3), _norm(row.description)):
        yield Hit({"name": row.level3, "basis": row.basis}, f"依据：{row.basis}")


# --------------------------------------------------------------------------- CAT

_TIMELY = re.compile(r"及时|时效|时限|按时|按期|期限|进度|月底|日前|限时")
_COST_WORDS = re.compile(r"成本|经费|资金|费用|预算|金额|开支|单价|支出|标准|控制")
_SATISFIED = re.compile(r"满意")


@rule(
    "CAT001", "timeliness-under-cost", "warning", "row",
    "时效内容放在成本指标下",
    "成本指标下的“{name}”讲的是时效（{cue}），不是成本。",
    "成本指标应反映花多少钱；“及时发放”“按时完成”等内容属于时效指标。放错类别后，"
    "这张表实际上没有成本目标。",
    "（示例）成本指标“补贴及时发放情况”",
)
def timeliness_under_cost(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if not is_cost_row(row):
        return
    text = compact(row.level3)
    m = _TIMELY.search(text)
    if m and not _COST_WORDS.search(text) and value_info(row).kind is not ValueKind.MONEY:
        yield Hit({"name": row.level3, "cue": m.group(0)}, f"二级指标：{row.level2}；线索词：{m.group(0)}")


@rule(
    "CAT002", "non-satisfaction-under-satisfaction", "warning", "row",
    "满意度指标下不是满意度",
    "满意度指标下的“{name}”不是满意度。",
    "满意度指标只应衡量服务对象的满意程度；完成率等产出内容应放在产出指标下。",
    "（示例）满意度指标“工作完成率 ≥90%”",
)
def non_satisfaction_under_satisfaction(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if level1_of(row) != "满意度指标" and level2_of(row) != "服务对象满意度指标":
        return
    text = compact(row.level3) + compact(row.description)
    if text and not _SATISFIED.search(text) and not re.search(r"认可|评价|好评|投诉|口碑|获得感|幸福感|认同", text):
        yield Hit({"name": row.level3}, f"二级指标：{row.level2}")


@rule(
    "CAT003", "satisfaction-outside-satisfaction", "warning", "row",
    "满意度放在其他类别下",
    "“{name}”是满意度，却放在“{level2}”下。",
    "满意度应放在“满意度指标—服务对象满意度指标”下；放在产出或效益下会让两类指标都失真。",
    "（示例）社会效益指标“群众满意度 ≥90%”",
)
def satisfaction_outside_satisfaction(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if not row.level2 or level1_of(row) == "满意度指标" or level2_of(row) == "服务对象满意度指标":
        return
    if measure_of(row) is Measure.SATISFACTION:
        yield Hit({"name": row.level3, "level2": row.level2}, f"一级：{row.level1}；二级：{row.level2}")
