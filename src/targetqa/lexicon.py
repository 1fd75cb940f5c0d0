"""Word lists the extractor and the checks share: units, vague wording, basis kinds.

Kept as data so a reviewer can read (and extend) what the tool knows. Sources: DOMAIN.md and
the seed documents in corpora/.
"""

from __future__ import annotations

COUNT_UNITS = frozenset(
    "个 次 人 人次 项 份 台 套 场 期 户 卷 本 条 种 篇 家 所 座 批 辆 部 册 张 件 名 位 处 村 站 班 课时 学时 "
    "场次 期次 班次 户次 株 棵 头 只 册次 门 支 组 队 类 幅 块 间 栋 宗 笔 单 万人 万人次 千人".split()
)
MONEY_UNITS = frozenset("元 万元 亿元 千元 元/人 元/人次 元/场 元/次 元/户 元/年 元/月 万元/年 元/人/月 元/人/年 元/平方米 元/亩".split())
DURATION_UNITS = frozenset("天 日 工作日 月 个月 年 小时 分钟 周 季度 h".split())
PHYSICAL_UNITS = frozenset("亩 公里 km 千米 米 m m² 平方米 平米 ㎡ 立方米 吨 公顷 千瓦 kw GB TB 兆 册".split())
PERCENT_UNITS = frozenset(["%", "％", "百分比"])
ALL_UNITS = COUNT_UNITS | MONEY_UNITS | DURATION_UNITS | PHYSICAL_UNITS | PERCENT_UNITS

# Values that name no measurable target (DOMAIN.md "Values that measure nothing").
VAGUE_VALUES = (
    "有效", "长期", "长期推动", "提高", "增强", "提升", "及时", "符合要求", "明显", "改善", "促进", "推动",
    "进一步", "逐步", "持续", "显著", "大幅", "积极", "良好", "不断", "稳步", "有所",
)
# Graded qualitative values that are checkable at year end.
GRADED_VALUES = (
    "达到预期目标", "达到预期", "部分达到", "未达到", "达标", "好", "较好", "一般", "差", "优", "良", "中",
    "是", "否", "合格", "优秀", "满意", "基本满意", "完成", "全部完成", "无", "零", "全覆盖", "按时完成",
    "按期完成", "足额", "按时", "准时",
)
# Basis wording that names a standard (计划/历史/行业/预算标准, a document).
BASIS_KINDS = ("计划", "标准", "文件", "通知", "方案", "办法", "规定", "要点", "问卷", "调查", "统计", "合同", "历史",
               "预算", "意见", "要求", "制度", "条例", "号", "〔", "【", "[")
