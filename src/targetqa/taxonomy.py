"""The indicator taxonomy (一级 → 二级) and the spellings departments use for it.

Source: 财预〔2015〕88号 / 财预〔2020〕10号 framework and 财预〔2021〕101号 (成本指标 as a 一级 of its
own); see DOMAIN.md. Labels are matched on their compact form (no whitespace), because PDF
converters wrap them ("服务对象满\\n意度指标").
"""

from __future__ import annotations

import re

# canonical level1 -> canonical level2 names under it
TAXONOMY: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}

# written level1 -> canonical
LEVEL1_ALIASES: dict[str, str] = {
    "产出指标": "产出指标", "产出": "产出指标", "部门产出": "产出指标", "项目产出": "产出指标",
    "效益指标": "效益指标", "效果指标": "效益指标", "效益": "效益指标", "效果": "效益指标",
    "部门效果": "效益指标", "部门效益": "效益指标", "项目效益": "效益指标",
    "满意度指标": "满意度指标", "满意度": "满意度指标",
    "成本指标": "成本指标",
}

# written level2 -> canonical
LEVEL2_ALIASES: dict[str, str] = {
    "数量指标": "数量指标", "数量": "数量指标",
    "质量指标": "质量指标", "质量": "质量指标",
    "时效指标": "时效指标", "时效": "时效指标",
    "成本指标": "成本指标", "成本": "成本指标",
    "经济效益指标": "经济效益指标", "经济效益": "经济效益指标",
    "社会效益指标": "社会效益指标", "社会效益": "社会效益指标",
    "生态效益指标": "生态效益指标", "生态效益": "生态效益指标", "环境效益指标": "生态效益指标",
    "环境效益": "生态效益指标", "生态环境效益指标": "生态效益指标",
    "可持续影响指标": "可持续影响指标", "可持续影响": "可持续影响指标",
    "服务对象满意度指标": "服务对象满意度指标", "服务对象满意度": "服务对象满意度指标",
    "社会公众或服务对象满意度指标": "服务对象满意度指标", "满意度指标": "服务对象满意度指标",
    "社会公众满意度指标": "服务对象满意度指标", "满意度": "服务对象满意度指标",
    "服务对象满意": "服务对象满意度指标",
    "经济成本指标": "经济成本指标", "社会成本指标": "社会成本指标",
    "生态环境成本指标": "生态环境成本指标", "经济成本": "经济成本指标", "社会成本": "社会成本指标",
    "生态环境成本": "生态环境成本指标", "生态成本指标": "生态环境成本指标", "生态成本": "生态环境成本指标",
}

LEVEL1_OF_LEVEL2: dict[str, str] = {l2: l1 for l1, l2s in TAXONOMY.items() for l2 in l2s}
# 成本指标 as a level2 sits under 产出 (2015 layout); as level1 it is 101号's.
LEVEL1_OF_LEVEL2["成本指标"] = "产出指标"

_SPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    return _SPACE.sub("", text or "")


def canonical_level1(text: str) -> str | None:
    return LEVEL1_ALIASES.get(compact(text))


def canonical_level2(text: str) -> str | None:
    return LEVEL2_ALIASES.get(compact(text))


# Level labels sorted longest first, for scanning flattened PDF text.
LEVEL1_LABELS = sorted(LEVEL1_ALIASES, key=len, reverse=True)
LEVEL2_LABELS = sorted(LEVEL2_ALIASES, key=len, reverse=True)
