"""Word lists the extractor and the checks share: units, vague wording, basis kinds.

Kept as data so a reviewer can read (and extend) what the tool knows. Sources: DOMAIN.md and
the seed documents in corpora/.
"""

from __future__ import annotations

# The units of measure the extractor reads after a number (`extract.cells.UNIT`) and the checks
# sort values by: one list for both.
COUNT_UNITS = frozenset(
    "个 次 人 人次 项 份 台 套 场 期 户 卷 本 条 种 篇 家 所 座 批 批次 辆 部 册 张 件 名 位 处 村 镇 校 站 班 节 "
    "课时 学时 场次 期次 班次 户次 株 棵 头 只 羽 册次 门 支 组 队 类 幅 块 间 栋 宗 笔 单 床 盏 根 起 "
    "万人 万人次 千人 万份 万册 万次".split()
)
MONEY_UNITS = frozenset("元 万元 亿元 千元 元/人 元/人次 元/场 元/次 元/户 元/年 元/月 万元/年 元/人/月 元/人/年 元/平方米 元/亩".split())
DURATION_UNITS = frozenset("天 日 工作日 个工作日 月 个月 年 小时 个小时 分钟 周 季度 h".split())
PHYSICAL_UNITS = frozenset("亩 公里 km 千米 米 m m² 平方米 平米 ㎡ 立方米 吨 公顷 千克 kg 千瓦 kw GB TB 兆 册".split())
PERCENT_UNITS = frozenset(["%", "％", "百分比"])
OTHER_RATE_UNITS = frozenset(["‰", "百分点"])  # a rate, but not one in hundredths of a whole
ALL_UNITS = COUNT_UNITS | MONEY_UNITS | DURATION_UNITS | PHYSICAL_UNITS | PERCENT_UNITS | OTHER_RATE_UNITS

# Values that name no measurable target (DOMAIN.md "Values that measure nothing").
VAGUE_VALUES = (
    "有效", "长期", "长期推动", "提高", "增强", "提升", "及时", "符合要求", "明显", "改善", "促进", "推动",
    "进一步", "逐步", "持续", "显著", "大幅", "积极", "不断", "稳步", "有所",
    # comparatives with nothing to compare with (程度较高, 热情高涨)
    "较高", "较大", "较强", "高涨",
)  # 良好 is a grade (优秀/良好/合格), not vague wording
# Graded qualitative values that are checkable at year end.
GRADED_VALUES = (
    "达到预期目标", "达到预期", "部分达到", "未达到", "达标", "好", "较好", "一般", "差", "优", "良", "中",
    "是", "否", "合格", "优秀", "满意", "基本满意", "完成", "全部完成", "无", "零", "全覆盖", "按时完成",
    "按期完成", "足额", "按时", "准时", "良好", "基本达到", "已完成", "全部",
)
# Basis wording that names a standard (计划/历史/行业/预算标准, a document).
BASIS_KINDS = ("计划", "标准", "文件", "通知", "方案", "办法", "规定", "要点", "问卷", "调查", "统计", "合同", "历史",
               "预算", "意见", "要求", "制度", "条例", "号", "〔", "【", "[")

# Heads of indicator names that describe a state or capacity, not a ratio: a percentage for
# them (提升干部政策理论水平 ≥90%) says nothing about what is 90 % of what.
ABSTRACT_HEADS = (
    "水平", "能力", "素质", "素养", "影响", "影响力", "影响面", "凝聚力", "向心力", "战斗力", "号召力", "组织力",
    "引领力", "公信力", "归属感", "荣誉感", "责任感", "使命感", "意识", "氛围", "形象", "作用", "价值", "环境",
    "热情", "积极性", "主动性", "创造性", "使用性", "关怀", "稳定", "稳定性", "和谐", "风气", "面貌", "基础", "根基",
)
# Counts where fewer is better (or a cap is the point): ≤ is right for them.
FEWER_IS_BETTER = (
    "低星级", "后进", "软弱", "涣散", "不合格", "不达标", "违规", "违纪", "违法", "投诉", "信访", "上访", "事故", "故障",
    "问题", "隐患", "差错", "失误", "错误", "案件", "发生", "死亡", "伤亡", "积压", "空置", "闲置", "超支", "超标",
    "减少", "降低", "压减", "下降", "会议", "发文", "文件", "简报", "检查次数", "督查检查", "考核次数", "流失", "返工",
    "重复", "缺陷", "退回", "整改", "超期", "逾期", "欠", "拖欠", "上限", "最多", "不超过", "以内",
    # caps that control spending or assets (三公经费, 资产配置标准)
    "接待", "公务用车", "公车", "车辆", "出国", "出境", "因公", "编制", "占用", "加班", "购置", "采购", "配置",
    "配备", "租赁",
)
# Bulk materials, measured by weight or volume (吨, 方, 立方米, 千克): a count of them (秸秆 5个)
# says nothing about how much was handled.
BULK_MATERIALS = (
    "秸秆", "粪污", "粪便", "垃圾", "污水", "废水", "污泥", "废弃物", "固废", "粮食", "化肥", "农药", "饲料", "有机肥",
    "燃油", "柴油", "汽油", "煤炭", "燃煤", "土方", "砂石", "沥青", "混凝土",
)

