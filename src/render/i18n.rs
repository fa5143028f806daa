//! UI strings in English and Chinese: chapter titles, headings, column labels and the
//! words of the page furniture. Every key has both languages.

use std::collections::BTreeMap;

use crate::plan::{ChapterId, Language};

/// (key, English, Chinese).
const STRINGS: &[(&str, &str, &str)] = &[
    // Chapters.
    (
        "chapter.targets",
        "Sales targets & strategy",
        "销售目标与策略",
    ),
    (
        "chapter.team",
        "Sales team building & management",
        "销售团队建设与管理",
    ),
    (
        "chapter.channels",
        "Sales channel expansion & optimisation",
        "销售渠道拓展与优化",
    ),
    (
        "chapter.promotions",
        "Promotion planning & execution",
        "促销活动规划与执行",
    ),
    (
        "chapter.customers",
        "Customer relationship management",
        "客户关系管理与维护",
    ),
    (
        "chapter.insights",
        "Data analysis & decision support",
        "数据分析与决策支持",
    ),
    ("chapter.short.targets", "Targets", "目标"),
    ("chapter.short.team", "Team", "团队"),
    ("chapter.short.channels", "Channels", "渠道"),
    ("chapter.short.promotions", "Promotions", "促销"),
    ("chapter.short.customers", "Customers", "客户"),
    ("chapter.short.insights", "Insights", "数据分析"),
    // Page furniture.
    ("ui.chapter", "Chapter", "第"),
    ("ui.chapter_suffix", "", "章"),
    ("ui.contents", "Contents", "目录"),
    ("ui.overview", "Overview", "概览"),
    ("ui.as_of", "Actuals as of", "实际数据截至"),
    ("ui.fiscal_year", "Fiscal year", "财年"),
    ("ui.prepared_by", "Prepared by", "编制"),
    ("ui.download_csv", "Data (CSV)", "数据（CSV）"),
    (
        "ui.not_planned",
        "This chapter is not planned yet.",
        "本章尚未规划。",
    ),
    (
        "ui.not_planned_hint",
        "Add the chapter file to plan it.",
        "添加本章的 YAML 文件即可开始规划。",
    ),
    ("ui.print_edition", "Print edition", "打印版"),
    ("ui.markdown_edition", "Markdown edition", "Markdown 版"),
    ("ui.model_json", "All figures (JSON)", "全部数据（JSON）"),
    ("ui.previous", "Previous", "上一章"),
    ("ui.next", "Next", "下一章"),
    (
        "ui.generated_by",
        "Built with salesplan from the plan's files; every figure is computed from the data.",
        "由 salesplan 根据规划文件生成；所有数字均由数据计算得出。",
    ),
    ("ui.skip", "Skip to content", "跳到正文"),
    ("ui.notes", "Notes", "备注"),
    ("ui.chart", "Chart", "图表"),
    ("ui.page", "Page", "第"),
    ("ui.status", "Status", "状态"),
    ("ui.planned", "planned", "已规划"),
    ("ui.yes", "yes", "是"),
    ("ui.no", "no", "否"),
    ("ui.none", "—", "—"),
    // Headline figures.
    ("fig.annual", "Annual target", "年度目标"),
    ("fig.growth", "vs baseline year", "较基准年"),
    ("fig.ytd_target", "YTD target", "年初至今目标"),
    ("fig.ytd_actual", "YTD actual", "年初至今实际"),
    ("fig.ytd_attainment", "YTD attainment", "年初至今达成率"),
    ("fig.ytd_growth", "YTD growth", "年初至今同比增长"),
    ("fig.baseline", "Baseline year", "基准年"),
    ("fig.rows", "Sales rows", "销售记录"),
    ("fig.before_fy", "FY not started", "财年尚未开始"),
    (
        "fig.below_target",
        "below the YTD target",
        "低于年初至今目标",
    ),
    (
        "fig.above_target",
        "above the YTD target",
        "高于年初至今目标",
    ),
    ("fig.reps", "Sales reps", "销售代表"),
    ("fig.commission", "Commission cost", "提成成本"),
    ("fig.headcount", "Planned headcount", "计划编制"),
    ("fig.staff_cost", "Staff cost", "人员成本"),
    (
        "fig.partners_qualified",
        "Partners qualified",
        "合格合作伙伴",
    ),
    (
        "fig.price_conflicts",
        "Price conflicts (TTM)",
        "价格冲突（近12个月）",
    ),
    (
        "fig.territory_conflicts",
        "Territory conflicts (TTM)",
        "区域冲突（近12个月）",
    ),
    (
        "sec.mix",
        "Channel mix: baseline, target and actual",
        "渠道结构：基准、目标与实际",
    ),
    ("sec.partner_scores", "Partner scores", "合作伙伴评分"),
    (
        "sec.partner_terms",
        "Partner territories and reviews",
        "合作伙伴区域与评估",
    ),
    (
        "sec.price_conflicts",
        "Price conflicts between channels",
        "渠道间价格冲突",
    ),
    (
        "sec.territory_conflicts",
        "Sales outside a partner's territory",
        "合作伙伴跨区域销售",
    ),
    (
        "word.contracts_expiring",
        "contracts end this fiscal year",
        "份合同本财年到期",
    ),
    ("word.spread_above", "price spread above", "价差超过"),
    (
        "word.sold_outside",
        "sold outside territory",
        "跨区域销售额",
    ),
    (
        "word.criteria_weights",
        "Criteria and weights",
        "评分标准与权重",
    ),
    ("word.other_conflicts", "Other conflicts", "其他冲突"),
    (
        "chart.mix",
        "Channel shares: baseline, target and actual",
        "渠道占比：基准、目标与实际",
    ),
    ("chart.partner_scores", "Partner scores", "合作伙伴评分"),
    ("legend.baseline_share", "Baseline share", "基准占比"),
    ("legend.target_share", "Target share", "目标占比"),
    (
        "legend.actual_share",
        "Actual share (FY to date)",
        "实际占比（本财年至今）",
    ),
    ("legend.score", "Weighted score", "加权评分"),
    ("legend.min_score", "Minimum", "最低分"),
    ("col.baseline_share", "Baseline share", "基准占比"),
    ("col.output_per_cost", "Target per cost", "目标/费用"),
    ("col.actual_share", "Actual share", "实际占比"),
    ("col.score", "Score", "评分"),
    ("col.qualified", "Qualified", "合格"),
    ("col.expiring", "Expiring", "到期"),
    ("col.product", "Product", "产品"),
    ("col.low_channel", "Lowest-price channel", "最低价渠道"),
    ("col.low_price", "Low price", "最低价"),
    ("col.high_channel", "Highest-price channel", "最高价渠道"),
    ("col.high_price", "High price", "最高价"),
    ("col.spread", "Spread", "价差"),
    ("col.rows", "Rows", "记录数"),
    ("col.amount", "Amount", "金额"),
    ("fig.promotions_run", "Promotions run", "已开展促销"),
    ("fig.uplift", "Uplift over baseline", "较基准增量"),
    ("fig.promotion_budget", "Promotion budget", "促销预算"),
    ("fig.missed_goals", "Missed sales goals", "未达销售目标"),
    ("word.done_or_running", "done or running", "已完成或进行中"),
    ("word.per_unit_spent", "per unit of spend", "每单位投入"),
    ("word.over_cap", "over the cap of", "超过上限"),
    ("word.within_cap", "within the cap of", "未超上限"),
    ("word.no_cap", "no budget cap set", "未设预算上限"),
    (
        "word.below_sales_goal",
        "promotions below their sales goal",
        "项促销未达销售目标",
    ),
    ("word.status_done", "done", "已完成"),
    ("word.status_running", "running", "进行中"),
    ("word.status_planned", "planned", "计划中"),
    ("word.no_adjustment", "none planned", "未计划"),
    (
        "sec.promotion_effects",
        "Effect of the promotions that ran",
        "已开展促销的效果",
    ),
    (
        "sec.missed_goals",
        "Promotions that missed their goal",
        "未达目标的促销",
    ),
    (
        "sec.promotion_budget",
        "Budget and spend by cost item",
        "按费用项目的预算与支出",
    ),
    (
        "chart.uplift",
        "Sales against baseline per promotion",
        "各项促销销售额与基准",
    ),
    ("legend.sales", "Sales", "销售额"),
    ("col.cost_item", "Cost item", "费用项目"),
    ("col.spend", "Spend", "支出"),
    ("col.status", "Status", "状态"),
    ("col.start", "Start", "开始"),
    ("col.end", "End", "结束"),
    ("col.sales", "Sales", "销售额"),
    ("col.uplift", "Uplift", "增量"),
    ("col.uplift_pct", "Uplift %", "增幅"),
    ("col.iroas", "iROAS", "增量投入回报"),
    ("col.visitors", "Visitors", "访客"),
    ("col.orders", "Orders", "订单"),
    ("col.conversion", "Conversion", "转化率"),
    ("col.goal_attainment", "Goal attainment", "目标达成率"),
    // Chapter 1 sections.
    ("sec.monthly", "Monthly targets", "月度目标"),
    ("sec.quarterly", "Quarterly targets", "季度目标"),
    (
        "sec.by_product_line",
        "Targets by product line",
        "分产品线目标",
    ),
    ("sec.by_region", "Targets by region", "分区域目标"),
    ("sec.positioning", "Market positioning", "市场定位"),
    ("sec.segments", "Target customer segments", "目标客户群"),
    ("sec.competitors", "Competitor analysis", "竞争对手分析"),
    ("sec.product_strategy", "Product strategy", "产品策略"),
    ("sec.pricing", "Pricing strategy", "定价策略"),
    // Chapter 2 sections.
    ("sec.org", "Organisation", "组织架构"),
    ("sec.staffing", "Staffing plan", "人员编制计划"),
    ("sec.training", "Training plan", "培训计划"),
    ("sec.career_paths", "Career paths", "职业发展路径"),
    ("sec.appraisal", "Performance appraisal", "绩效考核"),
    ("sec.commission", "Commission scheme", "提成方案"),
    (
        "sec.reps",
        "Quota attainment and commission by rep",
        "销售代表定额达成与提成",
    ),
    ("sec.culture", "Team culture", "团队文化"),
    // Chapter 3 sections.
    ("sec.channels", "Channels", "渠道"),
    ("sec.partners", "Partners", "合作伙伴"),
    ("sec.selection", "Partner selection", "合作伙伴甄选"),
    ("sec.channel_budget", "Channel cost budget", "渠道费用预算"),
    ("sec.conflicts", "Channel conflicts", "渠道冲突管理"),
    // Chapter 4 sections.
    ("sec.promotions", "Promotion calendar", "促销日历"),
    ("sec.promotion_details", "Promotion details", "促销活动详情"),
    (
        "sec.resources",
        "Resources and deadlines",
        "资源分工与截止日期",
    ),
    // Chapter 5 sections.
    ("sec.survey", "Satisfaction survey", "满意度调查"),
    ("sec.complaints", "Complaint handling", "投诉处理"),
    ("sec.membership", "Membership tiers", "会员等级"),
    ("sec.events", "Customer events", "客户活动"),
    // Chapter 6 sections.
    (
        "sec.kpis",
        "Key indicators and alert thresholds",
        "关键指标与预警阈值",
    ),
    ("sec.analysis_settings", "Analysis settings", "分析设置"),
    ("sec.quality", "Data quality", "数据质量"),
    // Column labels (computed tables and plan tables).
    ("col.month", "Month", "月份"),
    ("col.quarter", "Quarter", "季度"),
    ("col.name", "Name", "名称"),
    ("col.target", "Target", "目标"),
    ("col.baseline", "Baseline", "基准"),
    ("col.actual", "Actual", "实际"),
    ("col.attainment", "Attainment", "达成率"),
    ("col.growth", "Growth", "增长"),
    ("col.dataset", "Dataset", "数据集"),
    ("col.rows_read", "Rows read", "读取行数"),
    ("col.rows_valid", "Valid", "有效"),
    ("col.duplicates", "Duplicates", "重复"),
    ("col.invalid", "Invalid", "无效"),
    ("col.first_date", "First date", "最早日期"),
    ("col.last_date", "Last date", "最晚日期"),
    ("col.segment", "Segment", "客户群"),
    ("col.description", "Description", "描述"),
    ("col.needs", "Needs", "需求"),
    ("col.share", "Share", "占比"),
    ("col.competitor", "Competitor", "竞争对手"),
    ("col.products", "Products", "产品"),
    ("col.price_level", "Price level", "价格水平"),
    ("col.channels", "Channels", "渠道"),
    ("col.strengths", "Strengths", "优势"),
    ("col.weaknesses", "Weaknesses", "劣势"),
    ("col.response", "Our response", "应对策略"),
    ("col.product_line", "Product line", "产品线"),
    ("col.role", "Role", "定位"),
    ("col.actions", "Actions", "举措"),
    ("col.strategy", "Strategy", "策略"),
    ("col.price_change", "Price change", "价格调整"),
    ("col.floor_margin", "Floor margin", "最低毛利率"),
    ("col.position", "Position", "岗位"),
    ("col.current", "Current", "现有"),
    ("col.planned", "Planned", "计划"),
    ("col.change", "Change", "变化"),
    ("col.hire_quarter", "Hiring quarter", "招聘季度"),
    ("col.cost_per_head", "Cost per head", "人均成本"),
    ("col.plan_year_cost", "Plan-year cost", "计划年度成本"),
    ("col.commission", "Commission", "提成"),
    ("col.course", "Course", "课程"),
    ("col.topics", "Topics", "内容"),
    ("col.audience", "Audience", "对象"),
    ("col.hours", "Hours", "课时"),
    ("col.cost", "Cost", "费用"),
    ("col.level", "Level", "职级"),
    ("col.next", "Next step", "晋升方向"),
    ("col.criteria", "Criteria", "标准"),
    ("col.kpi", "KPI", "指标"),
    ("col.weight", "Weight", "权重"),
    ("col.from", "From attainment", "达成率下限"),
    ("col.to", "To attainment", "达成率上限"),
    ("col.rate", "Rate", "提成比例"),
    ("col.rep", "Representative", "销售代表"),
    ("col.region", "Region", "区域"),
    ("col.quota", "Annual quota", "年度定额"),
    ("col.channel", "Channel", "渠道"),
    ("col.type", "Type", "类型"),
    ("col.target_share", "Target share", "目标占比"),
    ("col.partner", "Partner", "合作伙伴"),
    ("col.territory", "Territory", "区域范围"),
    ("col.scores", "Scores", "评分"),
    ("col.contract_end", "Contract ends", "合同到期"),
    ("col.review", "Review", "评估周期"),
    ("col.personnel", "Personnel", "人员"),
    ("col.advertising", "Advertising", "广告"),
    ("col.logistics", "Logistics", "物流"),
    ("col.other", "Other", "其他"),
    ("col.total", "Total", "合计"),
    ("col.conflict_type", "Conflict", "冲突类型"),
    ("col.mechanism", "Mechanism", "解决机制"),
    ("col.owner", "Owner", "负责人"),
    ("col.id", "ID", "编号"),
    ("col.promotion", "Promotion", "活动"),
    ("col.holiday", "Holiday", "节日"),
    ("col.dates", "Dates", "日期"),
    ("col.mechanics", "Mechanics", "促销方式"),
    ("col.budget", "Budget", "预算"),
    ("col.goal_sales", "Sales goal", "销售目标"),
    ("col.department", "Department", "部门"),
    ("col.task", "Task", "任务"),
    ("col.due", "Due", "截止"),
    ("col.tier", "Tier", "等级"),
    (
        "col.min_spend",
        "Minimum spend (TTM)",
        "最低消费（近12个月）",
    ),
    (
        "col.min_orders",
        "Minimum orders (TTM)",
        "最低订单数（近12个月）",
    ),
    ("col.benefits", "Benefits", "会员权益"),
    ("col.event", "Event", "活动"),
    ("col.goal", "Goal", "目标"),
    ("col.date", "Date", "日期"),
    ("col.promotion_channels", "Promoted through", "宣传渠道"),
    ("col.metric", "Metric", "指标"),
    ("col.warn", "Warn", "预警"),
    ("col.alert", "Alert", "告警"),
    ("col.respond_within", "Respond within", "响应时限"),
    ("col.setting", "Setting", "设置"),
    ("col.value", "Value", "值"),
    // Words used in generated sentences and key-value lists.
    ("word.period", "Appraisal period", "考核周期"),
    ("word.quota_coverage", "quotas cover", "定额覆盖年度目标"),
    (
        "word.margin_quotas",
        "quotas on gross margin",
        "定额按毛利计",
    ),
    (
        "word.of_revenue_ytd",
        "of revenue to date",
        "占年初至今销售额",
    ),
    (
        "word.of_revenue_baseline",
        "of baseline-year revenue (simulation)",
        "占基准年销售额（模拟）",
    ),
    (
        "word.no_revenue",
        "no revenue in the review period",
        "考核期内无销售额",
    ),
    ("word.vs_current", "vs current", "较现有"),
    ("word.plan_year", "for the plan year", "本计划年度"),
    ("word.review_period", "Review period", "考核期"),
    (
        "word.tiers",
        "Commission tiers by quota attainment",
        "按定额达成率划分的提成档位",
    ),
    ("word.basis", "Basis", "计提基数"),
    ("word.method", "Method", "计算方法"),
    ("word.cap", "Cap per representative", "每人封顶"),
    ("word.min_score", "Minimum score", "最低分"),
    ("word.price_tolerance", "Price tolerance", "价差容忍度"),
    ("word.safeguards", "Safeguards", "保障措施"),
    ("word.baseline_days", "Baseline window", "基准期"),
    ("word.budget_cap", "Budget cap", "预算上限"),
    ("word.days", "days", "天"),
    ("word.hours", "hours", "小时"),
    ("word.dimensions", "Dimensions", "调查维度"),
    ("word.csat_target", "CSAT target", "满意度目标"),
    ("word.nps_target", "NPS target", "NPS 目标"),
    ("word.actions", "Improvement actions", "改进措施"),
    (
        "word.first_response",
        "First response within",
        "首次响应时限",
    ),
    ("word.resolution", "Resolution within", "解决时限"),
    ("word.complaint_channels", "Complaint channels", "投诉渠道"),
    ("word.process", "Process", "处理流程"),
    ("word.values", "Values", "价值观"),
    (
        "word.forecast_horizon",
        "Forecast horizon (months)",
        "预测期（月）",
    ),
    ("word.holdout", "Backtest holdout (months)", "回测月数"),
    (
        "word.abc",
        "ABC thresholds (cumulative share)",
        "ABC 分类阈值（累计占比）",
    ),
    (
        "word.min_points",
        "Elasticity: minimum monthly points",
        "价格弹性：最少月度样本",
    ),
    ("word.audience", "Audience", "目标客户"),
    ("word.linkage", "Online/offline linkage", "线上线下联动"),
    (
        "word.adjustment",
        "If the goal is missed",
        "未达目标时的调整",
    ),
    ("word.spend", "Spend", "实际花费"),
    ("word.goals", "Goals", "目标"),
    ("word.conversion_goal", "conversion", "转化率"),
    ("word.all_channels", "all channels", "全部渠道"),
    ("word.revenue", "revenue", "销售额"),
    ("word.margin", "gross margin", "毛利"),
    (
        "word.marginal",
        "marginal (each tier's rate on the part of sales in it)",
        "累进（各档比例仅适用于该档内的部分）",
    ),
    (
        "word.flat",
        "flat (the reached tier's rate on all sales)",
        "全额（达到档位的比例适用于全部销售额）",
    ),
    ("word.reports_to", "reports to", "汇报给"),
    ("word.people", "people", "人"),
    ("word.monthly", "monthly", "月度"),
    ("word.quarterly", "quarterly", "季度"),
    ("word.annual", "annual", "年度"),
    ("word.and_above", "and above", "及以上"),
    ("word.core", "core", "核心"),
    ("word.growth", "growth", "增长"),
    ("word.new", "new", "新品"),
    ("word.harvest", "harvest", "收割"),
    ("word.online", "online", "线上"),
    ("word.offline", "offline", "线下"),
    ("word.o2o", "O2O", "O2O"),
    ("word.partner", "partner", "合作伙伴"),
    ("word.price", "price", "价格冲突"),
    ("word.territory", "territory", "区域冲突"),
    // Chart titles and legends.
    (
        "chart.monthly",
        "Monthly target vs baseline and actual",
        "月度目标、基准与实际",
    ),
    (
        "chart.by_product_line",
        "Target vs baseline by product line",
        "各产品线目标与基准",
    ),
    (
        "chart.by_region",
        "Target vs baseline by region",
        "各区域目标与基准",
    ),
    ("legend.target", "Target", "目标"),
    ("legend.baseline", "Baseline", "基准"),
    ("legend.actual", "Actual", "实际"),
    ("legend.current", "Current", "现有"),
    ("legend.planned", "Planned", "计划"),
    ("legend.attainment", "Quota attainment", "定额达成率"),
    ("legend.quota", "Quota (100 %)", "定额（100%）"),
];

/// Looks a UI string up. An unknown key is a programming error: debug builds stop on
/// it, release builds show `?` rather than crash on a user's plan.
pub fn t(language: Language, key: &str) -> &'static str {
    let found = STRINGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|&(_, en, zh)| match language {
            Language::En => en,
            Language::ZhCn => zh,
        });
    debug_assert!(found.is_some(), "missing UI string `{key}`");
    found.unwrap_or("?")
}

/// Every string of one language, for the templates (`t["ui.contents"]`).
pub fn all(language: Language) -> BTreeMap<&'static str, &'static str> {
    STRINGS
        .iter()
        .map(|&(k, en, zh)| (k, if language == Language::En { en } else { zh }))
        .collect()
}

/// The title of a chapter.
pub fn chapter_title(language: Language, id: ChapterId) -> &'static str {
    t(language, &format!("chapter.{}", id.key()))
}

/// "Chapter 3" / "第3章".
pub fn chapter_label(language: Language, id: ChapterId) -> String {
    match language {
        Language::En => format!("Chapter {}", id.number()),
        Language::ZhCn => format!("第{}章", id.number()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_both_languages_are_filled() {
        let mut seen = std::collections::BTreeSet::new();
        for (key, en, zh) in STRINGS {
            assert!(seen.insert(key), "duplicate key {key}");
            let optional = *key == "ui.chapter_suffix";
            assert!(
                optional || (!en.is_empty() && !zh.is_empty()),
                "{key} is missing a language"
            );
        }
    }
}
