"""Checks on one indicator row: units, operators, values, echoes, category cues.

Each rule flags only what the row's own words prove. Where the nature of an indicator is
uncertain (Measure.UNKNOWN) the rule stays silent: precision first.
"""

from __future__ import annotations

from collections.abc import Iterator

from targetqa import rx
from targetqa.checks.context import header_says, text_stops_at
from targetqa.checks.registry import Hit, figure, rule
from targetqa.checks.semantics import (
    Measure,
    ValueKind,
    has_time_cue,
    is_change,
    is_cost_row,
    is_unbounded_rate,
    level1_of,
    level2_of,
    measure_by_name,
    measure_of,
    mentions_date,
    value_info,
)
from targetqa.lexicon import (
    ABSTRACT_HEADS,
    ALL_UNITS,
    BULK_MATERIALS,
    FEWER_IS_BETTER,
    GRADED_VALUES,
    VAGUE_VALUES,
)
from targetqa.model import Document, Row, Table
from targetqa.taxonomy import canonical_level1, canonical_level2, compact, fold_label


def names_a_category(text: str) -> bool:
    """The cell holds only a category label (生态效益指标, '-定性社会成本指标'), no indicator."""
    core = rx.sub(r"^[^\u4e00-\u9fff]*(?:定性|定量)?", "", compact(text))
    return bool(core) and (canonical_level2(core) is not None or canonical_level1(core) is not None)


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
    # 成本节约 5%, 行政成本压减 10%: a change in an amount is rightly a percentage
    if info.kind is ValueKind.PERCENT and measure_of(row) is Measure.MONEY and not is_change(row):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"指标性质：金额；值：{_shown(row)}")


@rule(
    "UNIT002", "cost-row-as-percent", "warning", "row",
    "成本指标用百分比表示",
    "成本指标“{name}”的指标值是“{value}”，没有给出成本金额。",
    "成本指标应反映项目花多少钱（元、万元，或元/人、元/场等单位成本），通常用 ≤ 表示上限。"
    "用百分比填写成本指标，说明不了成本控制的目标。（成本指标下放的是完成率、达标率之类的比率时，见 CAT006。）",
    "004 表15 成本指标“按预算金额完成 ≥95%”；realdocs D04 成本指标“本年预算安排800万元 100%”",
    convention=True,
)
def cost_row_as_percent(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if not is_cost_row(row) or info.kind is not ValueKind.PERCENT or measure_of(row) is Measure.MONEY:
        return
    if measure_by_name(row) in (Measure.RATE, Measure.SATISFACTION):
        return  # a rate is rightly a percentage: what is wrong is its place under 成本 (CAT006)
    # 101号's 社会成本/生态环境成本 are rightly rates (污染物排放减少 10%); so is a saving.
    if compact(row.level2).startswith(("社会成本", "生态环境成本", "生态成本", "环境成本")) or is_change(row):
        return
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
    # the name itself must say 人数/车辆数/次数: a description is too loose a cue here, and a
    # coverage (覆盖…) or a change (人数增长 10%) is rightly a percentage
    name = compact(row.level3)
    if info.kind is ValueKind.PERCENT and measure_by_name(row) is Measure.COUNT and "覆盖" not in name and not is_change(row):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"指标性质：数量；值：{_shown(row)}")


@rule(
    "UNIT004", "rate-over-100", "error", "row",
    "比率超过 100%",
    "比率类指标“{name}”的值为 {value}，超过 100%。",
    "完成率、满意度等比率最大为 100%。超过 100% 的值往往是“≥92%”中的“≥”被识别成了“2”，"
    "或者把数量误填成了百分比。",
    "（示例，语料中没有实例）“服务对象满意度 292%”：“≥92%”中的“≥”被识别成了“2”",
)
def rate_over_100(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if info.number is None or info.number <= 100 or is_unbounded_rate(row):
        return  # 增长率, 回报率 … may rightly exceed 100 %
    measure = measure_of(row)
    if info.kind is ValueKind.PERCENT and measure in (Measure.RATE, Measure.SATISFACTION):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"值 {figure(info.number)}% > 100%")
    elif info.kind is ValueKind.NUMBER and measure is Measure.SATISFACTION:
        yield Hit({"name": row.level3, "value": _shown(row)}, f"满意度值 {figure(info.number)} > 100")


@rule(
    "UNIT005", "rate-with-count-unit", "error", "row",
    "比率类指标用了数量单位",
    "“{name}”是比率或满意度，指标值却是“{value}”（{kind}）。",
    "名称为“……率”“……度”的指标是比率，应以百分比表示；填写“149个”之类数量、金额或“≤7工作日”之类期限，"
    "说明指标名称和指标值有一个写错了。",
    "001 表1 质量指标“拨付到位率 149个”",
)
def rate_with_count_unit(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    # by the name alone: 控制成本 defined as a ratio in its description may still be written in 万元
    if info.kind in (ValueKind.COUNT, ValueKind.MONEY, ValueKind.DURATION) and measure_by_name(row) in (Measure.RATE, Measure.SATISFACTION):
        kind = {ValueKind.COUNT: "数量", ValueKind.MONEY: "金额", ValueKind.DURATION: "期限"}[info.kind]
        yield Hit({"name": row.level3, "value": _shown(row), "kind": kind}, f"指标性质：比率；单位：{info.unit}")


@rule(
    "UNIT006", "odd-percent-unit", "warning", "row",
    "百分号写成文字",
    "“{name}”的单位写作“{unit}”，应写作 %。",
    "“≥90百分之”“90百分比”等写法多为系统模板或转换残留，应统一写作“≥90%”。",
    "001 表3 质量指标“培训合格率 ≥90百分之”",
)
def odd_percent_unit(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    unit = compact(row.unit)
    if row.value and unit.startswith(("百分之", "百分比", "百分点")) and rx.match(r"^\d", compact(row.value)):
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
    if info.kind is not ValueKind.NUMBER or _is_final(table) or not compact(row.level3):
        return  # a row without a name is STR007's
    measure = measure_of(row)
    if measure in (Measure.RATE, Measure.SATISFACTION):
        # '≥ 95' for a satisfaction rate: % is implied; still worth a note
        yield Hit({"name": row.level3, "value": _shown(row)}, "比率未写 %", severity="info")
    elif measure in (Measure.COUNT, Measure.MONEY, Measure.DURATION, Measure.DATE, Measure.UNKNOWN):
        yield Hit({"name": row.level3, "value": _shown(row)}, "单位栏为空")


_HEAD_TAIL = rx.compile(r"(?:情况|提高|提升|增强|改善|加强|得到提升|得到提高|明显|显著|不断|持续)+$")
_RATIO_WORDS = rx.compile(r"率|比例|比率|比重|占比|百分比|占[^，。；]{0,20}(?:的)?比|满意")


def _abstract_head(name: str) -> str | None:
    core = _HEAD_TAIL.sub("", rx.sub(r"[（(][^）)]*[）)]|[。.；;]$", "", name))
    return next((h for h in sorted(ABSTRACT_HEADS, key=lambda h: (-len(h), h)) if core.endswith(h)), None)


@rule(
    "UNIT008", "percent-for-non-ratio", "warning", "row",
    "非比率指标用百分比表示",
    "“{name}”描述的是{head}，不是比率，指标值“{value}”说不清是什么的百分之几。",
    "水平、能力、影响、氛围、归属感之类的状态无法按百分比计量。应改为可计数、可核对的指标"
    "（如“培训考核合格率 ≥90%”“开展活动 ≥12 次”），或写成分级的定性目标（好/较好/一般）。",
    "002 表6 社会效益指标“提升干部政策理论水平 ≥ 90 %”",
    convention=True,
)
def percent_for_non_ratio(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if info.kind is not ValueKind.PERCENT or info.number is None or info.number < 50:
        return  # a small percentage may be a change (提高干部素质 10%): not this rule's
    if measure_of(row) is not Measure.UNKNOWN:
        return
    name = compact(row.level3)
    if _RATIO_WORDS.search(name) or _RATIO_WORDS.search(compact(row.description)):
        return  # the row defines a ratio somewhere
    if _compound_goal(row):
        return  # VAL007 says it: the name is a goal sentence, not an indicator
    head = _abstract_head(name)
    if head:
        yield Hit({"name": row.level3, "head": head, "value": _shown(row)}, f"名称中心词：{head}；值：{_shown(row)}")


_DEADLINE_NAME = rx.compile(r"(?:时间|时限|期限|日期|截止时间|截止日期|完成时点)$")


@rule(
    "UNIT009", "deadline-as-percent", "warning", "row",
    "时间类指标用百分比表示",
    "“{name}”要求的是时间，指标值却是“{value}”。",
    "完成时间、时限类指标应写明日期或期限（如“2023年10月31日前”“≤6 月”）；"
    "写成百分比无法判断何时完成。要考核及时程度，应把指标改为“……及时率”。",
    "004 表2 时效指标“按需要完成时间 ≥95%”；realdocs D04 时效指标“2023年项目完工、投入使用 100%”",
)
def deadline_as_percent(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    name = rx.sub(r"[（(][^）)]*[）)]$", "", compact(row.level3))
    if value_info(row).kind is not ValueKind.PERCENT or "及时" in name:
        return
    if _DEADLINE_NAME.search(name):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"指标性质：时间；值：{_shown(row)}")
    elif level2_of(row) == "时效指标" and mentions_date(name) and measure_by_name(row) is Measure.UNKNOWN:
        # the deadline is written as the indicator's name (2023年项目完工、投入使用) and the value is a percentage
        yield Hit({"name": row.level3, "value": _shown(row)}, f"时效指标名称中写有时间；值：{_shown(row)}")


@rule(
    "UNIT011", "bulk-quantity-as-count", "warning", "row",
    "物料数量用了个数单位",
    "“{name}”是{material}的数量，应以重量或体积计（吨、立方米），指标值却是“{value}”（个数）。",
    "秸秆、粪污、垃圾、化肥等物料按重量或体积计量；写成“5个”“3次”，读者不知道处理了多少物料，"
    "往往是把利用点、站点的个数填进了物料数量。要考核点位，应把指标名称改为“……利用点数量”。",
    "realdocs D03 数量指标“消化利用农作物秸秆数量 5个”（指标说明：建立秸秆综合利用点）",
)
def bulk_quantity_as_count(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if info.kind is not ValueKind.COUNT or measure_by_name(row) is not Measure.COUNT:
        return
    name = rx.sub(r"[（(][^）)]*[）)]$", "", compact(row.level3))
    material = next((m for m in BULK_MATERIALS if m in name), None)
    # a count of sites, plants or firms that handle the material is rightly a count
    if material and not rx.search(r"[点站场处厂池库]|设施|企业|主体|户|村|镇|批次|次数|项目|品种|种类", name):
        yield Hit({"name": row.level3, "material": material, "value": _shown(row)}, f"物料：{material}；单位：{info.unit}")


_UNIT_ALT = rx.alternation(ALL_UNITS)
_TWO_UNITS = rx.compile(rf"^[^\d]{{0,3}}\d+(?:\.\d+)?({_UNIT_ALT})({_UNIT_ALT})$")


@rule(
    "UNIT010", "unit-contradicts-value", "warning", "row",
    "计量单位与指标值不符",
    "“{name}”的指标值写作“{value}”，{why}",
    "计量单位说明指标值是什么：文字（定性）指标值不应带 %、万元之类的单位；一个数值也只能有一个单位。"
    "“应保尽保 %”“28.8万元 %”这样的写法，说明单位栏是照模板填的，年终无法按单位核对。",
    "realdocs D21 社会效益指标“保证单位正常运转”：定性指标值“应保尽保”，计量单位“%”",
)
def unit_contradicts_value(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    value, unit = compact(row.value), compact(row.unit)
    if value and unit and not _has_number(value) and unit in ALL_UNITS and value_info(row).kind is ValueKind.TEXT:
        yield Hit({"name": row.level3, "value": f"{row.value} {row.unit}",
                   "why": f"是文字，单位栏却写“{row.unit}”。"}, f"指标值：{row.value}；单位：{row.unit}")
        return
    m = _TWO_UNITS.match(compact(row.value_text))
    if m and m.group(1) != m.group(2) and not (m.group(1) + m.group(2)) in ALL_UNITS:
        yield Hit({"name": row.level3, "value": row.value_text,
                   "why": f"同时带有“{m.group(1)}”和“{m.group(2)}”两个单位。"}, f"指标值：{row.value_text}")


# --------------------------------------------------------------------------- DIR

_NUM = r"\d+(?:\.\d+)?"
# Bounds in words. 以上/以下 count only after a number (not 以上文件), and a bare 低于/超过 only
# when not negated (不低于 is a lower bound).
_AT_LEAST = rx.compile(
    rf"不少于|不低于|不小于|至少|大于等于|大于或等于|不得少于|不得低于|{_NUM}\s*[^，。；,;、\d\s]{{0,4}}及?以上|达到\s*{_NUM}|"
    rf"(?<![不])(?:高于|多于|超过)\s*{_NUM}"
)
_AT_MOST = rx.compile(
    rf"不超过|不高于|不大于|小于等于|小于或等于|不得超过|不得高于|至多|最多|控制在|以内|之内|"
    rf"{_NUM}\s*[^，。；,;、\d\s]{{0,4}}及?以下|(?<![不])(?:低于|少于)\s*{_NUM}"
)
_POSITIVE_RATE = rx.compile(
    r"(?<![不未])(?:满意|完成率|覆盖率|合格率|达标率|及时率|到位率|参与率|通过率|准确率|完好率|知晓率|执行率|使用率|"
    r"发放率|兑现率|正确率|精准率|保障率|成功率|参加率|出勤率|优良率|普及率|受益率|入学率|就业率|回收率|利用率)"
)
_NEGATIVE_RATE = rx.compile(
    r"故障率|投诉率|事故率|差错率|超支率|失误率|错误率|发生率|流失率|空置率|损耗率|返工率|不合格率|不达标率|"
    r"不满意率|未完成率|违规率|退回率|重复率|缺陷率|误报率|漏报率|返贫率|辍学率|死亡率|失业率|闲置率"
)


@rule(
    "DIR001", "operator-contradicts-description", "error", "row",
    "符号与描述矛盾",
    "“{name}”的描述写“{phrase}”，指标值却用了“{op}”。",
    "描述写“不少于/不低于/以上”时应使用 ≥，写“不超过/以内”时应使用 ≤。两者矛盾时，"
    "年终无法判断目标是上限还是下限。",
    "001 表12 数量指标“提升打造高标准中心数量”：描述“打造高标准中心数量不少于3个”，指标值“≤3个”",
)
def operator_contradicts_description(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    m = _bound_in_description(row)
    if m is not None:
        yield Hit({"name": row.level3, "phrase": m, "op": row.operator}, f"描述：{row.description}；值：{_shown(row)}")


def _bound_in_description(row: Row) -> str | None:
    """The description's bound in words that contradicts the operator, about the same number.

    Descriptions often quote a standard (已超过60周岁的…, 每次不超过2天): a phrase counts only
    when the number it bounds is the row's own value (不少于3个 against ≤3个).
    """
    if row.operator not in ("≤", "<", "≥", ">"):
        return None
    number = value_info(row).number
    if number is None:
        return None
    text = compact(row.description)

    def about_value(m: rx.Match[str]) -> bool:
        after = rx.match(rf"\s*({_NUM})", text[m.end():])
        nums = rx.findall(_NUM, m.group(0)) or ([after.group(1)] if after else [])
        return any(abs(float(n) - number) < 1e-9 for n in nums)

    least = [m for m in _AT_LEAST.finditer(text) if about_value(m)]
    most = [m for m in _AT_MOST.finditer(text) if about_value(m)]
    if least and most:
        return None  # both bounds about the same number: unclear which the value is
    if row.operator in ("≤", "<") and least:
        return least[0].group(0)
    if row.operator in ("≥", ">") and most:
        return most[0].group(0)
    return None


@rule(
    "DIR002", "upper-bound-on-positive-rate", "error", "row",
    "正向比率用了 ≤",
    "“{name}”越高越好，却写成“{value}”（上限）。",
    "完成率、满意度、覆盖率等正向指标应使用 ≥ 或 =；写成 ≤ 等于允许结果更差。",
    "（示例，语料中没有实例）“服务对象满意度 ≤90%”",
)
def upper_bound_on_positive_rate(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    name = compact(row.level3)
    if row.operator in ("≤", "<") and _POSITIVE_RATE.search(name) and not _NEGATIVE_RATE.search(name):
        if value_info(row).kind in (ValueKind.PERCENT, ValueKind.NUMBER):
            yield Hit({"name": row.level3, "value": _shown(row)}, f"符号：{row.operator}")


@rule(
    "DIR003", "lower-bound-on-cost", "warning", "row",
    "成本上限用了 ≥",
    "成本指标“{name}”写成“{value}”，成本应设上限（≤）。",
    "成本指标反映支出控制，应写“≤ 金额”。写成“≥ 金额”表示至少花这么多钱，与控制成本的目的相反。",
    "（示例，语料中没有实例）成本指标“预算控制数 ≥10万元”",
    convention=True,
)
def lower_bound_on_cost(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    # only under 成本: an amount paid out under 数量 (发放补助资金 ≥100万元) rightly has a floor,
    # and so does a saving (节约资金 ≥5万元)
    info = value_info(row)
    if row.operator in ("≥", ">") and info.kind is ValueKind.MONEY and is_cost_row(row) and not is_change(row):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"符号：{row.operator}；单位：{info.unit}")


@rule(
    "DIR004", "lower-bound-on-negative-rate", "error", "row",
    "负向比率用了 ≥",
    "“{name}”越低越好，却写成“{value}”（下限）。",
    "故障率、投诉率、差错率等负向指标应使用 ≤ 或 <。",
    "（示例，语料中没有实例）“设备故障率 ≥5%”",
)
def lower_bound_on_negative_rate(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    name = compact(row.level3)
    if row.operator in ("≥", ">") and _NEGATIVE_RATE.search(name) and not rx.search(r"下降|降低|减少|压减", name):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"符号：{row.operator}")


@rule(
    "DIR005", "upper-bound-on-output-count", "warning", "row",
    "产出数量用了 ≤",
    "数量指标“{name}”写成“{value}”（上限），产出或受益数量应设下限（≥）或定值（=）。",
    "发放人数、开展次数、建设个数等产出数量越多越好，应写“≥”或“=”；写“≤”等于允许一次也不做。"
    "确需设上限的（如后进党组织数、会议数、事故数），名称应写明。",
    "001 表21 数量指标“发放补贴及慰问金人数 ≤6人”",
    convention=True,
)
def upper_bound_on_output_count(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if row.operator not in ("≤", "<") or level2_of(row) != "数量指标":
        return
    if value_info(row).kind is not ValueKind.COUNT or measure_of(row) in (Measure.RATE, Measure.MONEY):
        return
    text = compact(row.level3) + compact(row.description)
    if any(w in text for w in FEWER_IS_BETTER) or _bound_in_description(row):
        return  # a description that says 不少于 with ≤ is DIR001's
    yield Hit({"name": row.level3, "value": _shown(row)}, f"二级指标：{row.level2}；符号：{row.operator}")


# --------------------------------------------------------------------------- VAL

_GRADED = set(GRADED_VALUES)


_CN_NUMBER = rx.compile(r"百分之|[零〇一二两三四五六七八九十百千万]+(?:个|次|人|项|场|户|份|件|名|家|所|批|期|套|台|本|册|篇|条|种|成|倍|年|月|天|%|％)")


def _has_number(text: str) -> bool:
    return bool(rx.search(r"\d", text) or _CN_NUMBER.search(text))


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
    # in a 决算 table the value is the expected one (预期指标值): the same test applies
    info = value_info(row)
    value = compact(row.value)
    if info.kind is not ValueKind.TEXT or not value or value in _GRADED:
        return
    if len(value) > 16:
        return  # a sentence describing a qualitative target: judged by a reader, not here
    if _norm(row.value + row.unit) == _norm(row.level3):
        return  # VAL006 says it
    if _has_number(value):
        return  # 较上年提高5个百分点, 提升至九成: a number makes it checkable
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
    if rx.fullmatch(r"0+(?:\.0+)?", value) and len(unit) >= 2 and not rx.fullmatch(r"[%元个次人项]|万元", unit):
        yield Hit({"name": row.level3, "value": f"{row.value} {row.unit}"}, f"值：{row.value}；单位栏：{row.unit}")


@rule(
    "VAL003", "missing-value", "error", "row",
    "缺少指标值",
    "“{name}”没有填写指标值。",
    "每个指标都需要目标值；空着的指标年终无法评价。",
    "003 表1 时效指标“智慧党建运行维护时间”，预期指标值为空",
)
def missing_value(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if not compact(row.level3) or names_a_category(row.level3):
        return  # a row that only names a category (生态效益指标) is an unused slot of the form
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


_SCHEDULE = rx.compile(r"[按每逐][日天周旬月季年]")

_SLOT_OF = {
    Measure.RATE: "比率（%）",
    Measure.SATISFACTION: "满意度（%）",
    Measure.COUNT: "数量和单位",
    Measure.MONEY: "金额",
    Measure.DATE: "日期或期限",
}


@rule(
    "VAL005", "text-in-quantitative-slot", "warning", "row",
    "定量指标填了文字",
    "“{name}”应填写{slot}，指标值却是一句话“{value}”。",
    "比率、满意度、数量和成本指标是定量指标，指标值应是数值加单位（≥90%、=149个、≤34.92万元）；"
    "完成时间应写日期或期限（2023年10月31日前）。填“按规定标准执行”“完成全年拍摄计划”之类的文字，"
    "年终无法判断是否达到。",
    "002 表8 数量指标“实际发放补助人数”，指标值“按照省、市通知规定”",
)
def text_in_quantitative_slot(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    value = compact(row.value)
    if info.kind is not ValueKind.TEXT or not value or value in _GRADED or _has_number(value):
        return  # a number written in words (计划全年救助2次, 不超 10万元, 百分之九十) is still a number
    if _vague_word(value) and len(value) <= 16:
        return  # VAL001 says it
    measure = measure_by_name(row)
    if measure not in _SLOT_OF and is_cost_row(row):
        measure = Measure.MONEY
    if measure is Measure.DATE and _SCHEDULE.search(value):
        return  # 按月安排, 每季度发放: a schedule is a time requirement
    if measure in _SLOT_OF:
        yield Hit({"name": row.level3, "slot": _SLOT_OF[measure], "value": row.value}, f"应为{_SLOT_OF[measure]}；值：{row.value}")


@rule(
    "VAL006", "value-repeats-name", "warning", "row",
    "指标值照抄指标名称",
    "“{name}”的指标值就是指标名称本身，没有给出目标。",
    "指标值应写明要达到的数量、比率、时间或分级目标。把指标名称再写一遍（“改善收入”的指标值写“改善收入”），"
    "等于没有目标，年终也无从对照。",
    "003 表1 经济效益指标“改善收入”，预期指标值“改善收入”",
)
def value_repeats_name(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    name, value = _norm(row.level3), _norm(row.value + row.unit)
    if len(name) >= 2 and value == name and value_info(row).kind is ValueKind.TEXT:
        yield Hit({"name": row.level3}, f"三级指标：{row.level3}；指标值：{row.value}")


_GOAL_VERBS = rx.compile(r"提高|提升|改善|增强|促进|满足|保障|推动|加强|巩固|建设|优化|完善|实现|确保|发展")
_CLAUSE_SPLIT = rx.compile(r"[、，,；;]")


def _compound_goal(row: Row) -> bool:
    """The indicator's name is a goal sentence of two or more clauses (教学条件改善、办学水平提高)."""
    name = rx.sub(r"[（(][^）)]*[）)]", "", compact(row.level3)).rstrip("。.")
    parts = [p for p in _CLAUSE_SPLIT.split(name) if len(p) >= 2]
    if len(parts) < 2 or not _GOAL_VERBS.search(name) or _RATIO_WORDS.search(name):
        return False
    return measure_of(row) is Measure.UNKNOWN and not _has_number(name)


@rule(
    "VAL007", "goal-sentence-as-indicator", "warning", "row",
    "指标名称是一句目标，不是可计量的指标",
    "“{name}”是几句工作目标的并列，不是一个可以计量的指标，指标值“{value}”{why}",
    "三级指标应是一个可以计数或计算的量（如“校舍维修面积”“教学设备完好率”）。把“教学条件改善、办学水平提高”"
    "这样的目标句填进指标栏，再配上 =100%、≥95%，年终无法核对完成了多少。应拆成可计量的指标，或写成分级的定性目标。",
    "realdocs D01 质量值“教学条件改善、办学水平提高 =100%”",
)
def goal_sentence_as_indicator(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    kind = value_info(row).kind
    if kind in (ValueKind.EMPTY, ValueKind.DATE) or not _compound_goal(row):
        return
    why = "说不清是什么的百分之几。" if kind in (ValueKind.PERCENT, ValueKind.NUMBER) else "对应不到一个可以核对的结果。"
    yield Hit({"name": row.level3, "value": _shown(row), "why": why},
              f"指标名称含 {len(_CLAUSE_SPLIT.split(compact(row.level3)))} 个分句；值：{_shown(row)}")


_OPERATOR_HEAD = rx.compile(r"^(?:≥|≤|>|<|＞|＜|>=|<=|大于等于|小于等于|不低于|不少于|不超过|不高于)")


_ACTUAL_COLUMN = rx.compile(r"完成值|实际完成|实际值|实际达到|完成情况")


@rule(
    "VAL008", "no-actual-value", "warning", "row",
    "自评表没有填写实际完成值",
    "自评表中“{name}”的目标是“{target}”，实际完成值却是空的，无法判断是否完成。",
    "绩效自评表要逐项写明全年实际完成值，再据此打分；完成值空着，得分和评价结论就没有依据。",
    "realdocs D14 数量指标“发放(缴纳)覆盖率”：指标值 = 100 %，完成值栏为空",
)
def no_actual_value(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if not _is_final(table) or not compact(row.level3) or not compact(row.expected) or compact(row.actual):
        return
    if not any(compact(r.actual) for r in table.rows) and not header_says(table, doc, _ACTUAL_COLUMN):
        return  # no actual value anywhere and no actual column in the header: nothing to judge
    if text_stops_at(row.line, doc):
        return
    yield Hit({"name": row.level3, "target": row.expected}, f"目标：{row.expected}；实际完成值：空")


@rule(
    "VAL009", "actual-repeats-target", "warning", "row",
    "实际完成值照抄目标区间",
    "自评表中“{name}”的实际完成值写成“{actual}”，是把目标区间照抄了一遍，不是实际完成的数值。",
    "实际完成值应是年终实际达到的数（如 96%、9 人）；写“≥90%”只重复了目标，读者无从知道完成了多少，"
    "据此给出的得分也没有依据。",
    "realdocs D20 服务对象满意度指标“政策知晓率”：指标值 ≥90%，全年实际完成值 ≥90%",
)
def actual_repeats_target(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    actual = compact(row.actual)
    if _is_final(table) and _OPERATOR_HEAD.match(actual) and _has_number(actual):
        yield Hit({"name": row.level3, "actual": row.actual}, f"目标：{row.expected}；实际完成值：{row.actual}")


@rule(
    "VAL010", "value-is-an-indicator-name", "warning", "row",
    "指标值栏填的是另一个指标名称",
    "“{name}”的指标值栏写的是“{value}”，这是一个指标的名称，不是目标值。",
    "指标值应是目标数值或分级目标；指标值栏里出现“……率”“……度”而没有数值，通常是填表时错了一格，"
    "这一行就没有可以考核的目标。",
    "realdocs D20 时效指标“按季发放助学金”，指标值“发放时间达标率”",
)
def value_is_an_indicator_name(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    value = compact(row.value)
    if value_info(row).kind is not ValueKind.TEXT or _has_number(value) or len(value) < 3:
        return
    if _norm(value) == _norm(row.level3):
        return  # VAL006's
    if measure_of(Row(level3=value)) in (Measure.RATE, Measure.SATISFACTION):
        yield Hit({"name": row.level3, "value": row.value}, f"指标值：{row.value}")


# --------------------------------------------------------------------------- ECHO


def _norm(text: str) -> str:
    return rx.sub(r"[\s，,。.；;：:、“”\"'（）()]", "", text or "")


@rule(
    "ECHO001", "description-repeats-name", "info", "row",
    "指标描述照抄指标名称",
    "“{name}”的指标描述只是把指标名称再写一遍，没有说明口径。",
    "指标描述（指标说明）应说明怎么算：统计范围、分子分母、时间口径。照抄名称（或只在名称前加“反映”“体现”）"
    "等于没有描述。",
    "002 表2 质量指标“工作完成率 / 工作完成率”；realdocs D10 经济成本指标“疾病预防控制中心经费 / 反映疾病预防控制中心经费。”",
)
def description_repeats_name(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    name, desc = _norm(row.level3), _norm(row.description)
    if name and desc and _ECHO_LEAD.sub("", desc) in (name, _ECHO_LEAD.sub("", name)):
        yield Hit({"name": row.level3}, f"三级指标：{row.level3}；描述：{row.description}")


# 'X' described as '反映X' / '反映X情况' / '体现X' says nothing more than X
_ECHO_LEAD = rx.compile(r"^(?:主要)?(?:反映|体现|衡量|考核|考察|用于反映|指)|(?:的)?(?:情况)$")


@rule(
    "ECHO004", "level2-repeats-level1", "info", "row",
    "二级指标照抄一级指标",
    "二级指标“{level2}”与一级指标“{level1}”相同，没有写明具体类别。",
    "二级指标是一级指标下的具体类别（满意度指标下是“服务对象满意度指标”，产出指标下是数量、质量、时效、成本）。"
    "二级栏照抄一级名称，说明模板没有按规定的框架填写。",
    "realdocs D05 满意度指标“满意度指标 / 满意度指标”",
)
def level2_repeats_level1(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    l1, l2 = fold_label(row.level1), fold_label(row.level2)
    if l1 and l1 == l2:
        yield Hit({"level1": row.level1, "level2": row.level2}, f"一级：{row.level1}；二级：{row.level2}")


@rule(
    "ECHO005", "name-is-the-value", "warning", "row",
    "指标名称栏写的是指标值",
    "三级指标“{name}”与指标值相同，是一个目标值（{kind}），不是指标名称。",
    "三级指标应说明衡量什么（如“项目完成时间”），指标值再给出目标（“2022年底之前”）。名称和值写成同一个时间或数值，"
    "读者不知道这个目标约束的是什么。",
    "realdocs D06 时效指标“2022年底之前”，年度指标值“2022年底之前”",
)
def name_is_the_value(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    name, value = _norm(row.level3), _norm(row.value + row.unit)
    kind = value_info(row).kind
    if len(name) >= 2 and value == name and kind not in (ValueKind.TEXT, ValueKind.EMPTY):
        yield Hit({"name": row.level3, "kind": "时间" if kind is ValueKind.DATE else "数值"}, f"三级指标：{row.level3}；指标值：{row.value}")


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

_TIMELY = rx.compile(r"及时|时效|时限|按时|按期|期限|进度|月底|日前|限时")
_COST_WORDS = rx.compile(r"成本|经费|资金|费用|预算|金额|开支|单价|支出|标准|控制")
# 满意 as a measure (满意度, 满意率, 满意程度, 满意的…占…), not 群众满意型政府
_SATISFIED = rx.compile(r"满意(?!型)|认可|评价|好评|投诉|口碑|获得感|幸福感|认同")
_SATISFIED_DESC = rx.compile(r"满意(?:度|率|程度|比例|数|的|和较满意|情况)|认可度|好评率|评价")


@rule(
    "CAT001", "timeliness-under-cost", "warning", "row",
    "时效内容放在成本指标下",
    "成本指标下的“{name}”讲的是时效（{cue}），不是成本。",
    "成本指标应反映花多少钱；“及时发放”“按时完成”等内容属于时效指标。放错类别后，"
    "这张表实际上没有成本目标。",
    "001 表6 成本指标“及时发放情况”，指标值“及时发放”",
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
    "000 表3 满意度指标“基层党建平台建设完成率 ≥90.00”",
)
def non_satisfaction_under_satisfaction(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if level1_of(row) != "满意度指标" and level2_of(row) != "服务对象满意度指标":
        return
    name = compact(row.level3)
    if not name or _SATISFIED.search(name) or _SATISFIED_DESC.search(compact(row.description)):
        return
    yield Hit({"name": row.level3}, f"二级指标：{row.level2}；描述：{row.description}")


@rule(
    "CAT003", "satisfaction-outside-satisfaction", "warning", "row",
    "满意度放在其他类别下",
    "“{name}”是满意度，却放在“{level2}”下。",
    "满意度应放在“满意度指标—服务对象满意度指标”下；放在产出或效益下会让两类指标都失真。",
    "（示例，语料中没有实例）社会效益指标“群众满意度 ≥90%”",
)
def satisfaction_outside_satisfaction(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if not row.level2 or level1_of(row) == "满意度指标" or level2_of(row) == "服务对象满意度指标":
        return
    if measure_of(row) is Measure.SATISFACTION:
        yield Hit({"name": row.level3, "level2": row.level2}, f"一级：{row.level1}；二级：{row.level2}")


@rule(
    "CAT004", "no-time-under-timeliness", "warning", "row",
    "时效指标下没有时间要求",
    "时效指标下的“{name}”（{value}）没有任何时间要求，不是时效指标。",
    "时效指标应规定完成时间或期限（2023年10月31日前、≤6 月），或考核及时程度（发放及时率）。"
    "参训率、符合文件规定之类的内容属于数量或质量指标，放在时效下会让这张表实际上没有时效目标。",
    "001 表6 时效指标“经费符合相关文件要求”，指标值“符合要求”",
)
def no_time_under_timeliness(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if level2_of(row) != "时效指标" or not compact(row.level3):
        return
    if value_info(row).kind in (ValueKind.DATE, ValueKind.DURATION, ValueKind.EMPTY):
        return
    text = compact(row.level3) + compact(row.description) + compact(row.value) + compact(row.unit)
    if not has_time_cue(text):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"三级指标、描述和指标值中都没有时间要求：{row.description}")


@rule(
    "CAT005", "money-under-quantity", "warning", "row",
    "金额放在数量指标下",
    "数量指标下的“{name}”是金额（{value}），不是产出数量。",
    "数量指标反映做了多少事、覆盖了多少对象（人、次、个、户）；花了多少钱属于成本指标。"
    "把资金额写成数量指标，表内就没有真正的产出数量。",
    "003 表1 数量指标“完成贫困党员救助资金 50万元”",
)
def money_under_quantity(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    info = value_info(row)
    if level2_of(row) == "数量指标" and info.kind is ValueKind.MONEY and "/" not in info.unit:
        yield Hit({"name": row.level3, "value": _shown(row)}, f"二级指标：{row.level2}；单位：{info.unit}")


_ECOLOGY_CUE = rx.compile(
    r"生态|环境|绿化|绿色|污染|排放|减排|节能|能耗|耗能|低碳|碳|水质|水土|土壤|森林|植被|林|草|湿地|空气|大气|噪|扬尘|粉尘|"
    r"垃圾|废|资源|节约|节水|节电|循环|可再生|光伏|清洁|卫生|人居|村容|村貌|美丽|生物|物种|河|湖|流域|耕地|农田|地力|"
    r"化肥|农药|秸秆|粪|沙|荒漠|水源|饮水|防洪|治理"
)


@rule(
    "CAT008", "no-ecology-under-ecology", "warning", "row",
    "生态效益指标下不是生态效益",
    "生态效益指标下的“{name}”（{value}）与生态环境无关，不是生态效益。",
    "生态效益指标反映项目对生态环境的影响：污染物减排、节能节水、绿化面积、垃圾处理率等。把安全、工作水平、"
    "社会稳定之类的内容放在生态效益下，是为了填满模板的栏目；没有生态影响的项目可以不设这一项。",
    "realdocs D01 生态效益值“安全情况 有效”；004 表15 生态效益指标“提高工作水平”（促进全区宗教领域和谐稳定）",
)
def no_ecology_under_ecology(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if level2_of(row) != "生态效益指标" or not compact(row.level3) or names_a_category(row.level3):
        return
    text = compact(row.level3) + compact(row.description) + compact(row.value)
    if not _ECOLOGY_CUE.search(text):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"三级指标、描述和指标值中都没有生态环境的内容：{row.description}")


_FUNDS_RATE = rx.compile(r"(?:资金|预算|经费|财政|补助|款)[\u4e00-\u9fff]{0,6}(?:执行|支出|拨付|支付|使用|到位)(?:进度|率)$")


@rule(
    "CAT006", "rate-under-cost", "warning", "row",
    "成本指标下是比率，不是成本",
    "成本指标下的“{name}”是比率（{value}），不是成本。",
    "成本指标应反映花多少钱（元、万元，或元/人等单位成本）。达标率、发放率、执行率之类的比率衡量的是质量或进度，"
    "放在成本指标下，这张表实际上没有成本目标。",
    "realdocs D20 成本指标“资金执行率 100%”、“助学金社会化发放率 ≥95%”；002 表1 成本指标“投保完成率 ≥ 90 %”",
)
def rate_under_cost(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if not is_cost_row(row) or measure_by_name(row) not in (Measure.RATE, Measure.SATISFACTION) or is_change(row):
        return
    if compact(row.level2).startswith(("社会成本", "生态环境成本", "生态成本", "环境成本")):
        return  # 101号's social and environmental costs are rightly rates
    name = rx.sub(r"[（(][^）)]*[）)]$", "", compact(row.level3))
    if _FUNDS_RATE.search(name) and rx.search(r"预算|投资", compact(row.level2)):
        return  # a budget execution rate under a 预算(投资规模)控制 label fits the label's own words
    yield Hit({"name": row.level3, "value": _shown(row)}, f"二级指标：{row.level2}；指标性质：比率")


@rule(
    "CAT007", "funds-rate-under-quantity", "warning", "row",
    "资金执行进度放在数量指标下",
    "数量指标下的“{name}”是资金的支出或执行进度（{value}），不是产出数量。",
    "数量指标反映做了多少事、覆盖了多少对象；资金支出率、预算执行率衡量的是花钱的进度，"
    "不是产出。放在数量指标下，表内就少了一个真正的产出数量。",
    "realdocs D02 数量指标“资金支出率 95%”",
)
def funds_rate_under_quantity(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    name = rx.sub(r"[（(][^）)]*[）)]$", "", compact(row.level3))
    if level2_of(row) == "数量指标" and _FUNDS_RATE.search(name):
        yield Hit({"name": row.level3, "value": _shown(row)}, f"二级指标：{row.level2}")


# --------------------------------------------------------------------------- STR (row level)


@rule(
    "STR007", "row-without-name", "warning", "row",
    "指标行没有指标名称",
    "表中有一行只有指标值“{value}”，没有三级指标名称和描述。",
    "每个指标值都应对应一个三级指标；没有名称的数值无法考核，通常是模板残留或漏填。"
    "请补上指标名称，或删除这一行。",
    "000 表5 质量指标下一行只有“100.00”",
)
def row_without_name(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if not compact(row.level3) and not compact(row.description) and (compact(row.value) or compact(row.expected)):
        yield Hit({"value": _shown(row)}, f"二级指标：{row.level2}；值：{_shown(row)}")


# --------------------------------------------------------------------------- BUD (row level)


def _target_met(row: Row) -> bool | None:
    """Whether the actual value reaches the target, when both are plain numbers; else None."""
    from targetqa.extract.values import number_of, split_value

    target = split_value(compact(row.expected) or compact(row.value_text) or row.shown_value)
    actual = split_value(compact(row.actual))
    if not rx.fullmatch(r"\d+(?:\.\d+)?", target.value or "") or not rx.fullmatch(r"\d+(?:\.\d+)?", actual.value or ""):
        return None
    if actual.unit and target.unit and actual.unit != target.unit:
        return None
    t, a = number_of(target.value), number_of(actual.value)
    if t is None or a is None:
        return None
    if target.operator in ("≤", "<"):
        return a <= t if target.operator == "≤" else a < t
    if target.operator == ">":
        return a > t
    return a >= t - 1e-9


@rule(
    "BUD008", "score-contradicts-result", "warning", "row",
    "得分与完成情况矛盾",
    "自评表中“{name}”目标 {target}，实际完成 {actual}，{problem}",
    "自评得分应与完成情况一致：达到目标的指标得满分，未达到的按程度扣分。达标却扣分、未达标却给满分，"
    "说明得分不是按完成值给的，自评结论也就没有依据；扣分时应在偏差原因栏说明原因。",
    "realdocs D19 数量指标“卫片执法补助经费”：目标 =72890元，实际 72890，分值 10.00 只得 9.00",
)
def score_contradicts_result(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    if not _is_final(table) or row.points is None or row.score is None or row.points <= 0:
        return
    met = _target_met(row)
    if met is True and row.score < row.points - 1e-9:
        problem = f"已达到目标，却只得 {row.score:g} 分（分值 {row.points:g}）。"
    elif met is False and row.score >= row.points - 1e-9:
        problem = f"没有达到目标，却得了满分 {row.score:g} 分。"
    else:
        return
    yield Hit({"name": row.level3, "target": row.expected or row.shown_value, "actual": row.actual, "problem": problem},
              f"目标：{row.expected}；实际：{row.actual}；分值 {row.points:g}；得分 {row.score:g}")
