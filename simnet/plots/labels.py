"""Plot labels in English and Chinese, metric names included: one table, looked up by key."""

from __future__ import annotations

import math
from typing import Literal

Lang = Literal["en", "zh"]
"""Languages of plots and reports."""

LANGS: tuple[Lang, ...] = ("en", "zh")

METRICS: dict[str, tuple[str, str, str]] = {
    "parcels_in": ("parcels in (hub)", "进入分拨中心件量", ",.0f"),
    "parcels_delivered": ("parcels delivered", "送达件量", ",.0f"),
    "parcels_backlog": ("parcels backlog", "积压件量", ",.0f"),
    "delivery_time_h_mean": ("rural delivery time, mean (h)", "农村件时效·均值（小时）", ".2f"),
    "delivery_time_h_p50": ("rural delivery time, median (h)", "农村件时效·中位数（小时）", ".2f"),
    "delivery_time_h_p95": ("rural delivery time, p95 (h)", "农村件时效·95分位（小时）", ".2f"),
    "delivery_time_h_p99": ("rural delivery time, p99 (h)", "农村件时效·99分位（小时）", ".2f"),
    "on_time_24h": ("on time within 24 h", "24小时内送达率", ".1%"),
    "on_time_48h": ("on time within 48 h", "48小时内送达率", ".1%"),
    "cost_total_cny": ("cost, total (CNY)", "总成本（元）", ",.0f"),
    "cost_per_parcel_cny": ("cost per rural parcel (CNY)", "农村件单件成本（元）", ".3f"),
    "vehicle_km": ("vehicle-km", "车公里", ",.0f"),
    "vehicle_hours": ("vehicle-hours", "车辆小时", ",.0f"),
    "trips": ("trips", "车次", ",.0f"),
    "load_factor_mean": ("load factor, mean", "平均装载率", ".1%"),
    "co2_kg": ("CO₂ (kg)", "二氧化碳排放（千克）", ",.0f"),
    "co2_g_per_parcel": ("CO₂ per rural parcel (g)", "农村件单件碳排放（克）", ".1f"),
    "hub_utilization": ("hub utilisation", "分拨中心利用率", ".1%"),
    "hub_queue_max": ("hub queue, max (parcels)", "分拨中心最大在库件量", ",.0f"),
    "village_coverage": ("village coverage", "建制村覆盖率", ".1%"),
    "village_visits_per_week_min": ("fewest village visits per week", "村级最少每周投递次数", ".1f"),
    "park_entry_rate": ("carriers in the park", "快递企业入园率", ".1%"),
    "co_delivery_share": ("co-delivery share", "共同配送覆盖率", ".1%"),
    "pickup_time_h_mean": ("pickup → hub, mean (h)", "揽收至分拨中心·均值（小时）", ".2f"),
    "rural_parcels_in": ("rural parcels in", "农村件量", ",.0f"),
    "rural_parcels_delivered": ("rural parcels delivered", "农村件送达量", ",.0f"),
    "hub_wait_h_mean": ("hub wait, mean (h)", "分拨中心平均等待（小时）", ".2f"),
    "village_delivery_share": ("delivered to the village point", "送达村级服务点比例", ".1%"),
    "pickups_in": ("pickups", "揽收件量", ",.0f"),
    "pickups_at_hub": ("pickups at the hub", "揽收到达分拨中心件量", ",.0f"),
}
"""Metric name → (English label, Chinese label, format spec)."""

TEXT: dict[str, tuple[str, str]] = {
    # delivery time
    "delivery_time_title": ("Delivery time, hub arrival → village point", "送达时间分布（分拨中心到达 → 村级服务点）"),
    "hours": ("hours", "小时"),
    "share_delivered": ("share of parcels delivered", "已送达比例"),
    "all_counties": ("all counties", "全部县"),
    # cost
    "cost_title": ("Cost per rural parcel by tier", "按层级的农村件单件成本"),
    "cny_per_parcel": ("CNY per rural parcel", "元/件"),
    # hub
    "hub_title": ("City hub: cumulative arrivals and sorted parcels", "市级分拨中心：累计到达与累计分拣"),
    "hub_time": ("time since start (days)", "自开始起的时间（天）"),
    "cumulative_parcels": ("cumulative parcels", "累计件量"),
    "arrivals": ("arrived", "累计到达"),
    "sorted": ("sorted", "累计分拣"),
    "inside": ("inside the hub", "在库件量"),
    "inside_axis": ("parcels inside", "在库件量"),
    "measured": ("measured days", "统计期"),
    # fleet
    "fleet_title": ("Vehicles needed (peak out at once) vs owned", "所需车辆（同时在途峰值）与拥有车辆"),
    "day": ("day", "天"),
    "vehicles": ("vehicles", "车辆数"),
    "owned": ("owned", "拥有"),
    "needed": ("needed", "所需"),
    # map
    "map_title": ("Network and planned routes", "网络与规划线路"),
    "map_routes": ("routes", "线路"),
    "x_km": ("x (km)", "东西（公里）"),
    "y_km": ("y (km)", "南北（公里）"),
    # sweep and comparison
    "sweep_title": ("{metric} against {parameter}", "{metric} 随 {parameter} 变化"),
    "ci_band": ("95% CI", "95% 置信区间"),
    "comparison_title": ("Key metrics, A vs B (95% CI)", "关键指标对比 A 与 B（95% 置信区间）"),
    "mean": ("mean", "均值"),
}
"""Text key → (English, Chinese)."""

TIERS: dict[str, tuple[str, str]] = {
    "hub": ("city hub", "市级分拨中心"),
    "trunk": ("trunk", "干线运输"),
    "park": ("county park", "县级共配园区"),
    "depot": ("carrier depot", "企业县级网点"),
    "town": ("town station", "乡镇综合服务站"),
    "village": ("village point", "村级服务点"),
}
"""Tier (and site kind) → (English, Chinese)."""

KINDS: dict[str, tuple[str, str]] = {
    "vehicle_fixed": ("vehicle, fixed", "车辆固定成本"),
    "distance": ("distance", "里程成本"),
    "energy": ("energy", "能源"),
    "driver_time": ("driver time", "司机工时"),
    "handling": ("handling", "分拣处理"),
    "commission": ("village commission", "村点代办费"),
}
"""Cost kind → (English, Chinese)."""


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[1] if lang == "zh" else pair[0]


def text(key: str, lang: Lang = "en", **values: str) -> str:
    """The label ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    return _pick(TEXT[key], lang).format(**values)


def metric_label(metric: str, lang: Lang = "en") -> str:
    """A metric's label in ``lang`` (the metric's own name when unknown)."""
    entry = METRICS.get(metric)
    return metric if entry is None else (entry[1] if lang == "zh" else entry[0])


def metric_format(metric: str, value: float) -> str:
    """A metric value formatted for reading (dash for a missing value)."""
    if math.isnan(value):
        return "–"
    entry = METRICS.get(metric)
    return format(value, entry[2] if entry else ".4g")


def tier_label(tier: str, lang: Lang = "en") -> str:
    """A tier or site kind in ``lang``."""
    return _pick(TIERS[tier], lang) if tier in TIERS else tier


def kind_label(kind: str, lang: Lang = "en") -> str:
    """A cost kind in ``lang``."""
    return _pick(KINDS[kind], lang) if kind in KINDS else kind
