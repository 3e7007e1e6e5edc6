"""Report text in English and Chinese (plot and metric labels live in ``simnet.labels``)."""

from __future__ import annotations

from simnet.labels import Lang

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
    "fleet": ("Fleet use and waiting for vehicles", "车队使用与等待车辆"),
    "map": ("Network map", "网络地图"),
    "sweep": ("Key metrics against the varied parameter", "关键指标随扫描参数的变化"),
    "comparison": ("Comparison of two runs", "两个方案对比"),
    "trade-off": ("Cost per rural parcel against delivery time", "农村件单件成本与送达时效的权衡"),
    "trade_off_note": ("Each point of the sweep at its mean rural delivery time and cost per rural parcel, with "
                       "95% intervals over replications as error bars; labels give its parameter values. With "
                       "facility costs (costs.facility_cny_per_day), a larger hub costs more per day and sorts "
                       "faster: the points show what each hour saved costs.",
                       "扫描的每个点：农村件平均送达时效与单件成本的均值，误差线为各次重复的 95% 置信区间；"
                       "标注为该点的参数取值。计入设施成本（costs.facility_cny_per_day）时，更大的分拨中心每天成本更高、"
                       "分拣更快：各点显示每节省一小时的代价。"),
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
    "hub_id": ("hub", "分拨中心"),
    "counties": ("counties served", "服务县数"),
    "park_policy": ("carriers in the co-distribution park", "入驻共配园区的快递企业"),
    "deliveries_per_week": ("deliveries per week to villages", "村级每周投递次数"),
    "last_mile": ("last mile", "末端配送方式"),
    "carriers": ("carriers (share)", "快递企业（份额）"),
    "overrides": ("overrides", "参数覆盖"),
    "made": ("simnet {version}, {engine} engine, wall time {wall} s",
             "simnet {version}，{engine}引擎，耗时 {wall} 秒"),
    "varied": ("varied", "扫描参数"),
    "points": ("points", "扫描点"),
    "point": ("point", "扫描点"),
    "hub_note": ("daily capacity {capacity} vs peak-day demand {demand}", "日处理能力 {capacity}，高峰日需求 {demand}"),
    "run_a": ("A", "方案 A"),
    "run_b": ("B", "方案 B"),
    "hub_replication": ("replication {replication} (as numbered in the results tables); the shaded days are measured",
                        "第 {replication} 次重复（编号同结果表）；阴影为统计期"),
    "cdf_note": ("from the parcel sample; dotted lines at 24 h and 48 h", "基于包裹抽样；虚线为 24 与 48 小时"),
    "locker_note": (". Smart lockers: {locker_utilization} of cell-hours busy; {locker_no_cell_share} of the parcels "
                    "left while a point was closed found no free cell and waited for the opening; residents "
                    "collected after {collection_time_h_mean} h on average",
                    "。智能快件箱：格口利用率 {locker_utilization}；"
                    "非营业时段到达的包裹中 {locker_no_cell_share} 无空格口，等待开门；"
                    "居民平均 {collection_time_h_mean} 小时后取件"),
    "per-county": ("Per county (mean over replications)", "分县指标（各次重复的均值）"),
    "per-carrier": ("Per carrier (mean over replications)", "分快递企业指标（各次重复的均值）"),
    "county-maps": ("Planned routes per county", "各县规划线路"),
    "county": ("county", "县"),
    "carrier": ("carrier", "快递企业"),
    "in_park": ("in the park", "入驻园区"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "county_note": ("Cost per parcel is what the cost attribution gave the county's rural parcels arriving in the "
                    "measured days (hub, trunk, park or depots, stations, commission, facilities; drain days "
                    "included) ÷ those parcels, as cost per rural parcel is for the city: in each replication the "
                    "rows weighted by their parcels give the city's figure. Vehicle-km and CO₂ are those booked in "
                    "the measured days, trunk trips to the county included.",
                    "单件成本为成本归集到该县统计期内到达的农村件的费用（分拨中心、干线、园区或企业网点、站点、代办费、"
                    "设施费，含收尾天）÷ 这些包裹数，与全市农村件单件成本口径相同：每次重复中各县按件量加权即得"
                    "全市数值。车公里与碳排放为统计期内记入的数值，含至该县的干线车次。"),
    "carrier_note": ("Cost per parcel is what the cost attribution gave the carrier's rural parcels arriving in the "
                     "measured days ÷ those parcels (shared trips and facilities split among the parcels aboard or "
                     "handled), so in each replication the rows weighted by their parcels give the city's cost per "
                     "rural parcel. Vehicle-km and CO₂ booked to one carrier (its county depots) are its own; those "
                     "shared by several carriers (trunk, county park, town stations) are split in proportion to "
                     "rural parcels in, so the rows add up to the city's totals.",
                     "单件成本为成本归集到该企业统计期内到达的农村件的费用 ÷ 这些包裹数（共用车次与设施的费用在所载或"
                     "所处理的包裹间分摊），每次重复中各企业按件量加权即得全市农村件单件成本。记入单个企业的车公里与"
                     "碳排放（其县级网点）归该企业；多家企业共用的部分（干线、县级共配园区、乡镇站）按农村件量分摊，"
                     "各行之和等于全市合计。"),
    "fleet_table_tier": ("tier", "层级"),
    "fleet_owned": ("vehicles owned", "拥有车辆"),
    "fleet_needed": ("most needed on a day", "单日最多所需车辆"),
    "fleet_full_days": ("fleet-days with every vehicle out", "车辆全部出车的车队日占比"),
    "fleet_waited": ("parcels that waited for a vehicle", "等待车辆的包裹占比"),
    "fleet_wait_h": ("their mean wait (h)", "其平均等待（小时）"),
    "fleet_note": ("Vehicles needed: most out at once that day. A route formed at a dispatch wave leaves when a "
                   "vehicle is free; its parcels waited for a vehicle when it left after the wave (departure less "
                   "the latest wave time before it, from the formed_routes table). The trunk has no waves.",
                   "所需车辆：当日同时在途的最多车辆数。每个派车波次形成的线路在有空闲车辆时出发；若出发晚于波次时间，"
                   "车上包裹即为等待车辆（出发时间减去此前最近的波次时间，依据 formed_routes 表）。干线没有派车波次。"),
    "cost_note": ("Cost the attribution gave the rural parcels arriving in the measured days (wherever it was "
                  "spent, drain days included) ÷ those parcels: per replication, then the mean over replications, "
                  "so the total is the key metric cost per rural parcel. Pickups are separate units and not in "
                  "these bars: {pickup} CNY per pickup.",
                  "成本归集到统计期内到达的农村件的费用（无论发生在何处，含收尾天）÷ 这些包裹数：逐次重复计算后取均值，"
                  "合计即关键指标农村件单件成本。揽收件为单独的计量单位，不在图中：每件揽收 {pickup} 元。"),
    "map_note": ("Sites, trunk lines and county names on top; every planned route drawn faintly beneath. "
                 "Each county's routes in colour follow below.",
                 "站点、干线与县名在上层，规划线路以淡色绘于下层；各县彩色线路见下一节。"),
    "county_maps_note": ("Planned routes for the expected load, coloured by who drives them: a carrier's depot, "
                         "the county park or a town station (lines in the legend); the sites are the markers.",
                         "按预期件量规划的线路，按承运方着色：企业县级网点、县级共配园区或乡镇站（图例中的线条）；"
                         "站点为图例中的标记。"),
    "last_mile_direct": ("direct to the village points", "直送村级服务点"),
    "last_mile_two_leg": ("two legs, through the town stations", "两段式（经乡镇站中转）"),
    "engine_fast": ("fast", "快速"),
    "engine_reference": ("reference (per parcel)", "逐件参考"),
    "difference": ("B − A", "B − A"),
    "difference_ci": ("95% CI of B − A", "B − A 的 95% 置信区间"),
    "significant": ("significant", "是否显著"),
    "n_sides": ("n (A / B)", "次数（A / B）"),
    "paired_note": ("B − A by the paired t-interval over replication-wise differences (same seed and replications: "
                    "common random numbers); significant after Holm–Bonferroni across {count} metrics (5%). "
                    "The same numbers as simnet compare. A: n = {n_a}; B: n = {n_b}.",
                    "B − A 采用逐次重复差值的配对 t 区间（种子与重复次数相同：共同随机数）；"
                    "显著性经 {count} 个指标的 Holm–Bonferroni 校正（5%）。与 simnet compare 的结果相同。"
                    "方案 A：{n_a} 次；方案 B：{n_b} 次。"),
    "welch_note": ("B − A by Welch's t-interval (different seeds or replications); significant after "
                   "Holm–Bonferroni across {count} metrics (5%). The same numbers as simnet compare. "
                   "A: n = {n_a}; B: n = {n_b}.",
                   "B − A 采用 Welch t 区间（种子或重复次数不同）；"
                   "显著性经 {count} 个指标的 Holm–Bonferroni 校正（5%）。"
                   "与 simnet compare 的结果相同。方案 A：{n_a} 次；方案 B：{n_b} 次。"),
    "vs": ("vs", "对比"),
    "base_file": ("scenario file", "情景文件"),
    "lang_switch": ("中文", "English"),
}  # fmt: skip
"""Report text key → (English, Chinese)."""


def say(key: str, lang: Lang = "en", **values: object) -> str:
    """The report text ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    english, chinese = REPORT[key]
    return (chinese if lang == "zh" else english).format(**values)
