"""What an indicator row measures, and what its value actually is.

Most defects are a mismatch between the two: a head-count given as a percentage, a cost given
as a completion rate, a satisfaction rate of 292 %. The indicator's nature is read from the
*head* of its name (Chinese noun phrases put the measured thing last: 投保车辆**数**,
发放及时**率**, 老党员**满意度**), falling back to the description; the value's nature from
its unit and wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from targetqa import rx
from targetqa.extract.values import number_of
from targetqa.lexicon import (
    ALL_UNITS,
    COUNT_UNITS,
    DURATION_UNITS,
    MONEY_UNITS,
    PERCENT_UNITS,
    PHYSICAL_UNITS,
)
from targetqa.model import Row
from targetqa.taxonomy import canonical_level1, canonical_level2, compact


class Measure(str, Enum):
    MONEY = "money"
    COUNT = "count"
    RATE = "rate"
    SATISFACTION = "satisfaction"
    DATE = "date"
    DURATION = "duration"
    QUALITATIVE = "qualitative"
    UNKNOWN = "unknown"


class ValueKind(str, Enum):
    PERCENT = "percent"
    MONEY = "money"
    COUNT = "count"
    DURATION = "duration"
    PHYSICAL = "physical"
    DATE = "date"
    NUMBER = "number"  # a number with no unit
    ODD_UNIT = "odd_unit"  # a number with a unit we do not know
    TEXT = "text"
    EMPTY = "empty"


_SATISFACTION = rx.compile(r"满意(?:度|率|程度)?(?:指标)?$")
_RATE = rx.compile(r"(?:(?<![效频功])率|比例|比率|占比|比重|覆盖面|百分比|达标度|完成度|知晓度|参与度|认可度|覆盖度|吻合度|粘合度|贡献度|规范度)(?:情况)?(?:指标)?$")
_MONEY = rx.compile(
    r"(?:成本|经费|资金|费用|金额|预算|开支|支出|控制数|总额|单价|造价|补助标准|补贴标准|报酬|工资|津贴|奖金|投入|总量)(?:控制数|标准|额|数|总量|总额)?$"
)
_COUNT = rx.compile(
    r"(?:人数|人次|数量|个数|次数|户数|件数|台数|套数|场次|期数|项数|篇数|册数|批次|车辆数|站点数|单位数|村数|班次|课时|天数|"
    r"(?<![成预控总])(?![指系分参基倍均函])[\u4e00-\u9fff]数)$"
)
# In a description (which is often a verb phrase: 及时拨付星级津贴) only words that name an
# amount make the row a money indicator; 资金/经费/津贴 there are usually the object of a verb.
_MONEY_DESC = rx.compile(r"(?:成本|费用|金额|总额|控制数|单价|造价|开支|支出)(?:控制数|标准|额|数|总额)?$")
_DATE = rx.compile(r"(?:时间|时限|期限|日期|截止|完成时间|节点|工期|周期|时效)(?:性)?$")
_DURATION_WORDS = rx.compile(r"(?:天数|时长|年限|工作日|周期)$")
_DATE_VALUE = rx.compile(r"\d{4}\s*年|\d{1,2}\s*月(?:底|末|份|\d{1,2}日)|年底|年末|月底|季度|上半年|下半年|日前|之前|以前")
_PERCENT_WORDS = ("百分之", "百分比", "百分点")


@dataclass(frozen=True)
class ValueInfo:
    kind: ValueKind
    number: float | None
    unit: str


def _name(row: Row) -> str:
    return compact(row.level3)


def measure_of(row: Row) -> Measure:
    """The indicator's nature, from its name's head word, else from the description's.

    A money-sounding name whose description defines a ratio (控制成本: 总成本占总资金的比例)
    is a ratio: the description says how the value is computed. Cached on the two texts:
    every rule asks, and boilerplate rows repeat across thousands of tables.
    """
    return _measure(row.level3, row.description)


@lru_cache(maxsize=65536)
def _measure(level3: str, description: str) -> Measure:
    by_name = _measure_of_text(compact(level3))
    if by_name in (Measure.UNKNOWN, Measure.MONEY):
        desc = compact(description).rstrip("。.；;")
        by_desc = _measure_of_text(desc)
        if by_desc is Measure.MONEY and not _MONEY_DESC.search(rx.sub(r"[（(][^）)]*[）)]$", "", desc)):
            by_desc = Measure.UNKNOWN
        if by_name is Measure.UNKNOWN or by_desc is Measure.RATE:
            return by_desc
    return by_name


def measure_by_name(row: Row) -> Measure:
    """The nature read from the indicator's name alone (no fallback to the description)."""
    return _measure_of_text(_name(row))


# A change in an amount or a count (成本节约 5%, 人数同比增长 10%) is rightly a percentage.
_CHANGE = rx.compile(r"节约|节省|节支|压减|压缩|降低|减少|下降|降幅|增长|增加|增幅|增速|提高|提升|同比|环比|比上年|较上年|比去年|较去年")
_CHANGE_DESC = rx.compile(r"节约|节省|节支|压减|压缩|降低|减少|下降|降幅|增长|增幅|增速|同比|环比|比上年|较上年|比去年|较去年")


def is_change(row: Row) -> bool:
    """The indicator is a change (saving, growth, cut), stated in its name or defined so in its description."""
    return bool(_CHANGE.search(compact(row.level3)) or _CHANGE_DESC.search(compact(row.description)))


# Ratios that may rightly exceed 100 %.
_UNBOUNDED_RATE = rx.compile(r"增长|增幅|增速|倍|回报率|收益率|产出比|周转率|容积率|提高率|增加率|超额")


def is_unbounded_rate(row: Row) -> bool:
    return bool(_UNBOUNDED_RATE.search(compact(row.level3)))


_TIME_CUE = rx.compile(
    r"及时|时间|时限|期限|时效|按时|按期|准时|限时|定时|适时|进度|周期|工期|日前|之前|以前|前完成|月底|年底|月末|年末|"
    r"季度|半年|当年|年内|年度|全年|每年|每月|每季|每周|每日|天|工作日|小时|分钟|\d+\s*月|\d+\s*日|速度|响应|时长|"
    r"计划|节点|完成|期间|期内|到期|逾期|超期|延期|提前|同步|随时|实时|第一时间|"
    r"执行率|拨付率|支付率|到位|"  # progress of spending, read against the year
    r"办结|即时|当日|当月|次日|限期|时点|时段|截止|期末|年初|年中|月份|季|旬|\d+\s*[天日月年]|"
    r"[一二三四五六七八九十两]+个?(?:月|工作日|天|日|年)|按[日周旬月季年]"
)


def mentions_date(text: str) -> bool:
    """The text names a date or a point in the year (2023年, 10月底, 年底前)."""
    return bool(_DATE_VALUE.search(text))


def has_time_cue(text: str) -> bool:
    return bool(_TIME_CUE.search(text))


# The head word decides, in this order: 满意度 before 率 (满意率), 率 before money (资金到位率).
_HEAD_WORDS: tuple[tuple[rx.Pattern[str], Measure], ...] = (
    (_SATISFACTION, Measure.SATISFACTION),
    (_RATE, Measure.RATE),
    (_DURATION_WORDS, Measure.DURATION),
    (_MONEY, Measure.MONEY),
    (_COUNT, Measure.COUNT),
    (_DATE, Measure.DATE),
)


def _measure_of_text(text: str) -> Measure:
    name = rx.sub(r"[（(][^）)]*[）)]$", "", text)
    if not name:
        return Measure.UNKNOWN
    return next((measure for pattern, measure in _HEAD_WORDS if pattern.search(name)), Measure.UNKNOWN)


def value_info(row: Row) -> ValueInfo:
    """What the written value is, whatever the indicator claims to be (cached on value and unit).
    A bare number takes the unit its name gives in brackets ('培训人数（人）' = 50): many forms
    put the unit there and leave the unit column out."""
    return _value_info(row.value, row.unit or unit_in_name(row.level3))


_NAME_UNIT = rx.compile(r"[（(]\s*([^（）()]{1,6}?)\s*[）)]\s*$")


def unit_in_name(name: str) -> str:
    """The unit a name ends with in brackets ('培训人数（人）', '补助资金(万元)'), or ''."""
    m = _NAME_UNIT.search(name or "")
    if not m:
        return ""
    unit = compact(m.group(1))
    return unit if unit in ALL_UNITS or rx.fullmatch(r"(?:万|亿|千)?元(?:/[\u4e00-\u9fff]{1,3})*", unit) else ""


@lru_cache(maxsize=65536)
def _value_info(raw_value: str, raw_unit: str) -> ValueInfo:
    value = compact(raw_value)
    unit = compact(raw_unit)
    if not value and not unit:
        return ValueInfo(ValueKind.EMPTY, None, "")
    number = number_of(value) if rx.match(r"^\d", value) else None
    if number is None or not rx.fullmatch(r"[\d.,\-—~～至]+", value):
        if _DATE_VALUE.search(value + unit):
            return ValueInfo(ValueKind.DATE, None, unit)
        if number is not None and rx.fullmatch(r"\d+(?:\.\d+)?%", value):
            return ValueInfo(ValueKind.PERCENT, number, "%")
        return ValueInfo(ValueKind.TEXT, None, unit)
    if not unit:
        return ValueInfo(ValueKind.NUMBER, number, "")
    if unit in PERCENT_UNITS or unit.startswith("%"):
        return ValueInfo(ValueKind.PERCENT, number, unit)
    if any(unit.startswith(w) for w in _PERCENT_WORDS):
        return ValueInfo(ValueKind.ODD_UNIT, number, unit)
    if unit in MONEY_UNITS or rx.fullmatch(r"(?:万|亿|千)?元(?:/.+)?", unit):
        return ValueInfo(ValueKind.MONEY, number, unit)
    if unit in DURATION_UNITS:
        return ValueInfo(ValueKind.DURATION, number, unit)
    if unit in COUNT_UNITS or rx.fullmatch(r"(?:个|次|人|项|份|场|户|期)(?:/.+)?", unit):
        return ValueInfo(ValueKind.COUNT, number, unit)
    if unit in PHYSICAL_UNITS:
        return ValueInfo(ValueKind.PHYSICAL, number, unit)
    if _DATE_VALUE.search(unit):
        return ValueInfo(ValueKind.DATE, number, unit)
    return ValueInfo(ValueKind.ODD_UNIT, number, unit)


def level2_of(row: Row) -> str:
    return canonical_level2(row.level2) or ""


def level1_of(row: Row) -> str:
    return canonical_level1(row.level1) or ""


def is_cost_row(row: Row) -> bool:
    """Under 成本指标, as a level2 (2015 layout) or a level1 (101号 layout)."""
    return level2_of(row) == "成本指标" or level1_of(row) == "成本指标" or compact(row.level2).startswith("成本")


def money_in_wan(number: float, unit: str) -> float | None:
    """Convert an amount to 万元, the unit budgets are stated in."""
    if unit.startswith("亿元"):
        return number * 10000
    if unit.startswith("万元"):
        return number
    if unit.startswith("千元"):
        return number / 10
    if unit.startswith("元"):
        return number / 10000
    return None
