"""Labels of metrics, tiers, cost kinds and plots in English and Chinese: one table, looked up by key.

A neutral module (no plotting library), so the console, the report, the plots and the Excel export
share one wording without importing matplotlib.
"""

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
    "pickup_time_h_p95": ("pickup → hub, p95 (h)", "揽收至分拨中心·95分位（小时）", ".2f"),
    "fresh_over_limit_share": ("fresh produce over its time limit", "生鲜超时比例", ".1%"),
    "locker_utilization": ("locker utilisation", "智能快件箱格口利用率", ".1%"),
    "locker_no_cell_share": ("closed-hours parcels finding no free cell", "非营业时段无空格口比例", ".1%"),
    "collection_time_h_mean": ("time to collection, mean (h)", "居民取件时间·均值（小时）", ".2f"),
    "bus_share": ("delivered by bus", "客货邮公交送达比例", ".1%"),
    "bus_cost_per_parcel_cny": ("bus cost per bus parcel (CNY)", "公交带件单件成本（元）", ".3f"),
    "factory_parcels_in": ("factory parcels", "工厂寄出件量", ",.0f"),
    "factory_time_h_mean": ("factory → line-haul, mean (h)", "工厂件至干线发车·均值（小时）", ".2f"),
    "factory_cost_per_parcel_cny": ("factory collection cost per parcel (CNY)", "工厂件揽收单件成本（元）", ".3f"),
    "trunk_return_use": ("trunk return capacity used", "干线回程运力利用率", ".1%"),
}
"""Metric name → (English label, Chinese label, format spec)."""

TEXT: dict[str, tuple[str, str]] = {
    # delivery time
    "delivery_time_title": ("Delivery time, hub arrival → village point (hours)",
                            "送达时间分布，分拨中心到达 → 村级服务点（小时）"),
    "hours": ("hours since hub arrival", "自到达分拨中心起的小时数"),
    "share_delivered": ("share of parcels delivered (%)", "已送达比例（%）"),
    "all_counties": ("all counties", "全部县"),
    # cost
    "cost_title": ("Cost per rural parcel by tier (CNY/parcel), total {total}",
                   "按层级的农村件单件成本（元/件），合计 {total}"),
    "cny_per_parcel": ("CNY per rural parcel", "元/件"),
    # hub
    "hub_title": ("City hub: cumulative arrivals and sorted parcels ({unit})",
                  "市级分拨中心：累计到达与累计分拣（{unit}）"),
    "hub_time": ("time since start (days)", "自开始起的时间（天）"),
    "cumulative_parcels": ("cumulative parcels ({unit})", "累计件量（{unit}）"),
    "arrivals": ("arrived", "累计到达"),
    "sorted": ("sorted", "累计分拣"),
    "inside": ("inside the hub", "在库件量"),
    "inside_axis": ("parcels inside ({unit})", "在库件量（{unit}）"),
    "measured": ("measured days", "统计期"),
    "thousand_parcels": ("thousand parcels", "万件"),
    # fleet
    "fleet_needed_title": ("Vehicles needed (most out at once) as % of owned",
                           "所需车辆（同时在途峰值）占拥有车辆的比例（%）"),
    "fleet_waited_title": ("Parcels that waited for a vehicle (% of parcels on routes)",
                           "等待车辆的包裹占比（占出车包裹的 %）"),
    "day": ("measured day", "统计日"),
    # map
    "map_title": ("City network: sites and trunk lines, planned routes faint (km)",
                  "全市网络：站点与干线，规划线路淡色显示（公里）"),
    "county_maps_title": ("Planned routes per county (km)", "各县规划线路（公里）"),
    "map_routes": ("planned routes", "规划线路"),
    "map_bus_lines": ("bus lines", "客货邮公交线路"),
    "scale_km": ("{km} km", "{km} 公里"),
    "x_km": ("x (km)", "东西（公里）"),
    "y_km": ("y (km)", "南北（公里）"),
    # sweep and comparison
    "sweep_title": ("{metric} against {parameter}", "{metric} 随 {parameter} 变化"),
    "ci_band": ("95% CI", "95% 置信区间"),
    "comparison_title": ("B − A as % of A's mean, with 95% interval", "B − A 占 A 均值的百分比，含 95% 置信区间"),
    "comparison_axis": ("B − A (% of A)", "B − A（占 A 的 %）"),
    "comparison_right": ("B − A in the metric's unit", "B − A（指标自身单位）"),
    "points": ("pp", "个百分点"),
    "significant": ("significant (Holm, 5%)", "显著（Holm 校正，5%）"),
    "not_significant": ("not significant", "不显著"),
    "mean": ("mean", "均值"),
}  # fmt: skip
"""Text key → (English, Chinese)."""

TIERS: dict[str, tuple[str, str]] = {
    "hub": ("city hub", "市级分拨中心"),
    "trunk": ("trunk", "干线运输"),
    "park": ("county park", "县级共配园区"),
    "depot": ("carrier depot", "企业县级网点"),
    "town": ("town station", "乡镇综合服务站"),
    "village": ("village point", "村级服务点"),
    "bus": ("bus lines", "客货邮公交"),
}
"""Tier (and site kind) → (English, Chinese)."""

KINDS: dict[str, tuple[str, str]] = {
    "vehicle_fixed": ("vehicle, fixed", "车辆固定成本"),
    "facility_fixed": ("facility, fixed", "设施固定成本"),
    "distance": ("distance", "里程成本"),
    "energy": ("energy", "能源"),
    "driver_time": ("driver time", "司机工时"),
    "handling": ("handling", "分拣处理"),
    "commission": ("village commission", "村点代办费"),
    "fare": ("bus fare", "公交带件费"),
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


def is_share(metric: str) -> bool:
    """Whether a metric is a share between 0 and 1 (it is shown in per cent)."""
    entry = METRICS.get(metric)
    return entry is not None and entry[2].endswith("%")


def metric_title(metric: str, lang: Lang = "en") -> str:
    """A metric's label with its unit: shares get "(%)", the other labels already name theirs."""
    label = metric_label(metric, lang)
    if not is_share(metric):
        return label
    return f"{label}（%）" if lang == "zh" else f"{label} (%)"


def metric_format(metric: str, value: float) -> str:
    """A metric value formatted for reading (dash for a missing value)."""
    if math.isnan(value):
        return "–"
    entry = METRICS.get(metric)
    return format(value, entry[2] if entry else ".4g")


def parcel_unit(lang: Lang = "en") -> tuple[float, str]:
    """The planner's unit of parcel counts on axes: thousands in English, 万 (ten thousand) in Chinese."""
    return (1e4, TEXT["thousand_parcels"][1]) if lang == "zh" else (1e3, TEXT["thousand_parcels"][0])


def tier_label(tier: str, lang: Lang = "en") -> str:
    """A tier or site kind in ``lang``."""
    return _pick(TIERS[tier], lang) if tier in TIERS else tier


def kind_label(kind: str, lang: Lang = "en") -> str:
    """A cost kind in ``lang``."""
    return _pick(KINDS[kind], lang) if kind in KINDS else kind
