"""Report text in English and Chinese (plot and metric labels live in ``simnet.plots.labels``)."""

from __future__ import annotations

from simnet.plots.labels import Lang

REPORT: dict[str, tuple[str, str]] = {
    "title": ("simnet report", "simnet 仿真报告"),
    "title_sweep": ("simnet sweep report", "simnet 参数扫描报告"),
    "title_comparison": ("simnet comparison report", "simnet 方案对比报告"),
    "scenario": ("Scenario in brief", "情景概要"),
    "metrics": ("Key metrics (mean and 95% confidence interval over replications)",
                "关键指标（各次重复的均值与 95% 置信区间）"),
    "scorecard": ("Scorecard against the plan's targets", "对照规划目标"),
    "delivery-time": ("Delivery time", "送达时效"),
    "cost": ("Cost per rural parcel", "农村件单件成本"),
    "hub": ("City hub over time", "市级分拨中心运行"),
    "fleet": ("Fleet utilisation", "车队利用率"),
    "map": ("Network map", "网络地图"),
    "sweep": ("Key metrics against the varied parameter", "关键指标随扫描参数的变化"),
    "comparison": ("Comparison of two runs", "两个方案对比"),
    "metric": ("metric", "指标"),
    "mean": ("mean", "均值"),
    "ci": ("95% CI", "95% 置信区间"),
    "n": ("n", "次数"),
    "target": ("target", "目标"),
    "value": ("value", "实际"),
    "status": ("status", "结论"),
    "met": ("met", "达标"),
    "missed": ("missed", "未达标"),
    "unknown": ("not measured", "未测得"),
    "unknown_short_horizon": ("not measured — horizon under 7 days", "未测得——模拟期不足 7 天"),
    "field": ("item", "项目"),
    "name": ("name", "名称"),
    "description": ("description", "说明"),
    "seed": ("seed", "随机种子"),
    "days": ("days: warm-up + measured + drain", "天数：预热 + 统计 + 收尾"),
    "replications": ("replications", "重复次数"),
    "demand": ("parcels per day at the hub", "分拨中心日均到件量"),
    "rural_share": ("rural share", "农村件占比"),
    "peak_days": ("peak days (day × multiplier)", "高峰日（日 × 倍数）"),
    "none": ("none", "无"),
    "network": ("network", "网络"),
    "network_counts": ("{counties} counties, {towns} towns, {villages} villages",
                       "{counties} 个县，{towns} 个乡镇，{villages} 个村"),
    "hub_capacity_day": ("hub capacity per day", "分拨中心日处理能力"),
    "park_policy": ("carriers in the co-distribution park", "入驻共配园区的快递企业"),
    "deliveries_per_week": ("deliveries per week to villages", "村级每周投递次数"),
    "last_mile": ("last mile", "末端配送方式"),
    "carriers": ("carriers (share)", "快递企业（份额）"),
    "overrides": ("overrides", "参数覆盖"),
    "made": ("simnet {version}, {engine} engine, wall time {wall} s",
             "simnet {version}，{engine} 引擎，耗时 {wall} 秒"),
    "varied": ("varied", "扫描参数"),
    "points": ("points", "扫描点"),
    "point": ("point", "扫描点"),
    "target_village_coverage": ("village coverage 100%", "建制村快递服务覆盖率 100%"),
    "target_village_visits_per_week_min": ("villages served ≥ 5 times a week", "村级每周投递 ≥ 5 次"),
    "target_park_entry_rate": ("≥ 80% of carriers in the park", "快递企业入园率 ≥ 80%"),
    "target_co_delivery_share": ("co-delivery coverage ≥ 90%", "共同配送覆盖率 ≥ 90%"),
    "target_hub_capacity": ("hub capacity ≥ peak-day demand", "分拨中心处理能力 ≥ 高峰日需求"),
    "hub_note": ("daily capacity {capacity} vs peak-day demand {demand}", "日处理能力 {capacity}，高峰日需求 {demand}"),
    "run_a": ("A", "方案 A"),
    "run_b": ("B", "方案 B"),
    "hub_replication": ("replication {replication}; the shaded days are measured",
                        "第 {replication} 次重复；阴影为统计期"),
    "cdf_note": ("from the parcel sample; dotted lines at 24 h and 48 h", "基于包裹抽样；虚线为 24 与 48 小时"),
    "lang_switch": ("中文", "English"),
}  # fmt: skip
"""Report text key → (English, Chinese)."""


def say(key: str, lang: Lang = "en", **values: object) -> str:
    """The report text ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    english, chinese = REPORT[key]
    return (chinese if lang == "zh" else english).format(**values)
