"""``simnet.plots``: each function returns a Figure with the expected axes and artists; Chinese renders fully."""

import warnings
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

import simnet.plots as plots
from simnet.experiment.replications import run_scenario
from simnet.labels import LANGS, METRICS, TEXT, metric_label, metric_title, text, tier_label
from simnet.plots._common import TIER_COLOURS, scaled_formatter
from simnet.plots.comparison import NOT_SIGNIFICANT, SIGNIFICANT, signed
from simnet.plots.sweep import sweep_trade_off
from simnet.results.compare import Comparison, MetricComparison, RunMetrics
from simnet.results.folder import RunInfo, write_results
from simnet.results.load import Results, SweepResults, load_results
from simnet.scenario import scenario_from_text

SMALL = """name: 小城 small
horizon_days: 2
warmup_days: 1
drain_days: 1
replications: 2
demand:
  {parcels_per_day: 5000, rural_share: 0.3, pickups_per_village_per_day: 2, peak_days: [{day: 2, multiplier: 1.5}]}
network: {generate: {counties: 2, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 8000}
"""

INFO = RunInfo(wall_time_s=1.0, engine="fast", sources=(), overrides=())


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Results:
    """A tiny two-county run written and loaded like a real one (module-scoped: it takes a few seconds)."""
    folder = tmp_path_factory.mktemp("plots") / "run"
    write_results(run_scenario(scenario_from_text(SMALL)), folder, INFO)
    loaded = load_results(folder)
    assert isinstance(loaded, Results)
    return loaded


def _sweep() -> SweepResults:
    rows = []
    for point, (capacity, share) in enumerate([(3e6, 0.0), (4e6, 0.0), (3e6, 1.0), (4e6, 1.0)]):
        rows.append({"point": point, "hub.capacity_per_day": capacity, "parks.consolidated_share": share,
                     "metric": "cost_per_parcel_cny", "mean": 2.0 + share, "ci_low": 1.8 + share,
                     "ci_high": 2.2 + share, "n": 3})  # fmt: skip
    points = [{"point": r["point"], "hub.capacity_per_day": r["hub.capacity_per_day"],
               "parks.consolidated_share": r["parks.consolidated_share"]} for r in rows]  # fmt: skip
    return SweepResults(Path("sweep"), pd.DataFrame(), pd.DataFrame(rows), {"points": points}, {})


def _texts(figure: Figure) -> str:
    return " ".join(t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")))


def test_delivery_time_cdf_draws_all_and_each_county(results):
    """One step curve for all counties plus one per county in the parcel sample, shares up to 1."""
    figure = plots.delivery_time_cdf(results)
    (axes,) = figure.axes
    counties = results.parcels["county"].nunique()
    assert len(axes.get_lines()) == 1 + counties + 2  # + the 24 h and 48 h guides
    assert axes.get_lines()[0].get_ydata()[-1] == pytest.approx(1.0)


def test_cost_breakdown_adds_up_to_the_key_metric(results):
    """The stacked bars add up to the mean over replications of cost_per_parcel_cny: per replication Σ cost_cny of
    the parcel rows of cost_to_serve_villages ÷ rural_parcels_in (the engine's definition, docs/results.md), then
    the mean; each cell is that quotient per (tier, kind). The title states the total with its unit."""
    table = plots.cost_per_parcel_by_tier(results)
    assert table.to_numpy().sum() == pytest.approx(results.summary.loc["cost_per_parcel_cny", "mean"], rel=1e-9)
    assert table.to_numpy().sum() == pytest.approx(results.replications["cost_per_parcel_cny"].mean(), rel=1e-9)
    served = results.tables["cost_to_serve_villages"]
    hub = served[(served["unit"] == "parcel") & (served["tier"] == "hub") & (served["kind"] == "handling")]
    parcels = results.replications.set_index("replication")["rural_parcels_in"]
    by_hand = (hub.groupby("replication")["cost_cny"].sum() / parcels).mean()
    assert table.loc["hub", "handling"] == pytest.approx(by_hand, rel=1e-12)
    figure = plots.cost_breakdown(results)
    assert len(figure.axes[0].patches) == table.size
    assert f"{table.to_numpy().sum():.3f}" in figure.axes[0].get_title()
    assert "CNY" in figure.axes[0].get_title()
    wider = plots.cost_breakdown(results, tiers=["park"])
    assert len(wider.axes[0].get_yticks()) == len(table) + ("park" not in table.index)


def test_cost_per_pickup_divides_the_pickup_rows_by_pickups_in(results):
    """unit="pickup": per replication Σ cost_cny of the pickup rows ÷ pickups_in, mean over replications; pickups
    share no facility or handling cost, so the table has neither kind (model.md, cost attribution)."""
    table = plots.cost_per_parcel_by_tier(results, unit="pickup")
    served = results.tables["cost_to_serve_villages"]
    pickups = served[served["unit"] == "pickup"].groupby("replication")["cost_cny"].sum()
    by_hand = (pickups / results.replications.set_index("replication")["pickups_in"]).mean()
    assert table.to_numpy().sum() == pytest.approx(by_hand, rel=1e-12)
    assert not {"handling", "facility_fixed"} & set(table.columns)
    with pytest.raises(ValueError, match="unit 'box'"):
        plots.cost_per_parcel_by_tier(results, unit="box")


def test_hub_flow_has_two_cumulative_curves_and_the_queue(results):
    """Arrivals and sorted curves on the first axis (sorted never above arrivals), the queue on a twin axis."""
    figure = plots.hub_flow(results, replication=2)
    first, twin = figure.axes
    arrived, sorted_ = (line.get_ydata() for line in first.get_lines()[:2])
    assert (sorted_ <= arrived).all()
    assert twin.collections, "parcels inside are drawn as a filled area"
    with pytest.raises(ValueError, match="replication 9"):
        plots.hub_flow(results, replication=9)


def test_hub_flow_defaults_to_the_first_replication_and_counts_in_planner_units(results):
    """Without a replication the first one in the table is drawn; the axes are in thousands (en) or 万 (zh)."""
    first = int(results.tables["hub_hours"]["replication"].min())
    assert plots.first_replication(results) == first
    default = plots.hub_flow(results).axes[0].get_lines()[0].get_ydata()
    chosen = plots.hub_flow(results, replication=first).axes[0].get_lines()[0].get_ydata()
    assert (default == chosen).all()
    assert text("thousand_parcels", "zh") in plots.hub_flow(results, lang="zh").axes[0].get_ylabel()
    assert text("thousand_parcels", "en") in plots.hub_flow(results, lang="en").axes[0].get_title()


def test_scaled_formatter_reads_in_thousands_or_wan():
    """8,000,000 parcels read 8,000 (thousand) and 800 (万); 25,000 reads 2.5 万; 2,500 reads 0.25 万."""
    assert scaled_formatter(1e3)(8_000_000, None) == "8,000"
    assert scaled_formatter(1e4)(8_000_000, None) == "800"
    assert scaled_formatter(1e4)(25_000, None) == "2.5"
    assert scaled_formatter(1e4)(2_500, None) == "0.25"


def test_fleet_utilization_has_a_needed_and_a_waited_panel(results):
    """Two panels: vehicles needed (a bar per tier and day) and parcels that waited (the trunk, without waves, left
    out); no text labels that could collide, the percentages are on the axes."""
    figure = plots.fleet_utilization(results)
    tiers = results.tables["fleets"]["tier"].unique()
    days = results.tables["fleets"]["day"].nunique()
    needed, waited = figure.axes
    assert len(needed.patches) == len(tiers) * days
    assert len(waited.patches) == len([tier for tier in tiers if tier != "trunk"]) * days
    assert not needed.texts
    assert not waited.texts


def test_route_waits_are_departure_less_the_latest_wave(results):
    """A route leaving at a wave waited 0 h; 0.25 h after the first park wave of day 2, 0.25 h; a route leaving
    just before a wave waited since the previous wave (waves repeat every 24 h)."""
    scenario = results.scenario()
    waves = sorted(scenario.parks.dispatch_waves_h)
    town_wave = scenario.service.town_dispatch_waves_h[0]
    routes = results.tables["formed_routes"].head(0)
    rows = pd.DataFrame({"tier": ["park", "depot", "town", "park"], "depart_h": [
        48 + waves[0], 48 + waves[0] + 0.25, 48 + town_wave + 1.5, 48 + waves[0] - 0.5]})  # fmt: skip
    made_up = replace(results, tables={**results.tables, "formed_routes": pd.concat([routes, rows])})
    waits = plots.route_waits_h(made_up).to_numpy()
    assert waits[:3] == pytest.approx([0.0, 0.25, 1.5])
    assert waits[3] == pytest.approx(24 - 0.5 - waves[-1] + waves[0] if len(waves) > 1 else 23.5)


def test_vehicle_waits_keep_every_parcel_on_a_route(results):
    """Parcels per replication, tier and day add up to the formed routes' parcels; those that waited are among them."""
    waits = plots.vehicle_waits(results)
    assert waits["parcels"].sum() == results.tables["formed_routes"]["parcels"].sum()
    assert (waits["waited_parcels"] <= waits["parcels"]).all()
    assert (waits["wait_parcel_h"] >= 0).all()


def _points(axes) -> int:
    return sum(len(c.get_offsets()) for c in axes.collections if not isinstance(c, LineCollection))


def test_network_map_draws_sites_trunk_and_faint_routes(results):
    """Every site is drawn (scatter points add up), one trunk line per park, and the routes as one faint collection
    only when asked; each park carries its county's name."""
    figure = plots.network_map(results)
    axes = figure.axes[0]
    assert _points(axes) == len(results.tables["sites"])
    lines = [c for c in axes.collections if isinstance(c, LineCollection)]
    routes = results.tables["routes"][["dispatch_point", "route"]].drop_duplicates()
    parks = (results.tables["sites"]["kind"] == "park").sum()
    assert sorted(len(c.get_segments()) for c in lines) == sorted([len(routes), parks])
    names = set(results.tables["counties"]["name"])
    assert names <= {t.get_text() for t in axes.texts}
    bare = plots.network_map(results, routes=False)
    assert len([c for c in bare.axes[0].collections if isinstance(c, LineCollection)]) == 1


def test_county_maps_have_a_panel_per_county_with_its_routes(results):
    """One visible panel per county; together they draw every planned route once and every non-hub site once."""
    figure = plots.county_maps(results)
    visible = [axes for axes in figure.axes if axes.get_visible()]
    assert len(visible) == results.tables["counties"]["county"].nunique()
    drawn = sum(len(c.get_segments()) for axes in visible for c in axes.collections if isinstance(c, LineCollection))
    assert drawn == len(results.tables["routes"][["dispatch_point", "route"]].drop_duplicates())
    sites = results.tables["sites"]
    assert sum(_points(axes) for axes in visible) == (sites["kind"] != "hub").sum()


def test_county_maps_have_one_legend_of_route_colours_and_site_markers(results):
    """One legend for the figure, none per panel: a line per route colour in use (each carrier's depot, the park,
    town stations) and a marker per site kind on the maps; town stations differ in colour from town routes."""
    figure = plots.county_maps(results)
    assert not any(axes.get_legend() for axes in figure.axes)
    (legend,) = figure.legends
    shown = [h for h in legend.legend_handles if h.get_label().strip()]  # blanks only pad the routes' last column
    lines = [h for h in shown if h.get_linestyle() != "None"]
    markers = [h for h in shown if h.get_linestyle() == "None"]
    routes = results.tables["routes"][["dispatch_point", "tier"]].drop_duplicates()
    owners = {point.rsplit(" ", 1)[-1] if tier == "depot" else tier for point, tier in routes.itertuples(index=False)}
    assert len(lines) == len(owners)
    assert len({h.get_color() for h in lines}) == len(lines)
    kinds = set(results.tables["sites"]["kind"]) - {"hub"}
    assert [h.get_label() for h in markers] == [tier_label(kind) for kind in ("park", "town", "village") if kind in
                                                kinds]  # fmt: skip
    town = next(h for h in markers if h.get_label() == tier_label("town"))
    assert to_hex(town.get_markerfacecolor()) != to_hex(TIER_COLOURS["town"])


def test_share_limits_gives_paired_axes_the_union_of_their_limits():
    """Two panels of x 0–1 / 0–3 and y 0–5 / −1–2 both get x 0–3 and y −1–5."""
    first, second = Figure(), Figure()
    first.add_subplot().set(xlim=(0, 1), ylim=(0, 5))
    second.add_subplot().set(xlim=(0, 3), ylim=(-1, 2))
    plots.share_limits([first, second])
    for figure in (first, second):
        assert figure.axes[0].get_xlim() == (0, 3)
        assert figure.axes[0].get_ylim() == (-1, 5)


def test_sweep_metric_draws_a_line_and_band_per_other_value():
    """With two varied parameters, one mean line and one CI band per value of the other parameter."""
    figure = plots.sweep_metric(_sweep(), "cost_per_parcel_cny", "hub.capacity_per_day")
    axes = figure.axes[0]
    assert len(axes.get_lines()) == 2
    assert len(axes.collections) == 2
    with pytest.raises(ValueError, match="not in the sweep summary"):
        plots.sweep_metric(_sweep(), "nope", "hub.capacity_per_day")


def _capacity_sweep() -> SweepResults:
    """Three hub capacities; the largest delivers fastest and costs most (the trade-off with facility costs)."""
    rows = []
    for point, (capacity, hours, cost) in enumerate([(3e6, 30.0, 2.0), (4e6, 25.0, 2.2), (5e6, 24.0, 2.5)]):
        rows.append({"point": point, "hub.capacity_per_day": capacity, "metric": "delivery_time_h_mean",
                     "mean": hours, "ci_low": hours - 1.0, "ci_high": hours + 2.0, "n": 2})  # fmt: skip
        rows.append({"point": point, "hub.capacity_per_day": capacity, "metric": "cost_per_parcel_cny",
                     "mean": cost, "ci_low": cost - 0.1, "ci_high": cost + 0.3, "n": 2})  # fmt: skip
    points = [{"point": point, "hub.capacity_per_day": capacity} for point, capacity in enumerate([3e6, 4e6, 5e6])]
    return SweepResults(Path("sweep"), pd.DataFrame(), pd.DataFrame(rows), {"points": points}, {})


def test_sweep_trade_off_puts_each_point_at_its_means_with_its_intervals():
    """Point (30 h, 2.0 CNY) with CI 29–32 h and 1.9–2.3 CNY: error bars 1 left, 2 right, 0.1 below, 0.3 above;
    each point labelled by its parameter value; cost on y, delivery time on x."""
    figure = sweep_trade_off(_capacity_sweep())
    axes = figure.axes[0]
    (container,) = axes.containers
    marker_line, _, (x_bars, y_bars) = container
    assert list(marker_line.get_xdata()) == [30.0, 25.0, 24.0]
    assert list(marker_line.get_ydata()) == [2.0, 2.2, 2.5]
    assert x_bars.get_segments()[0].tolist() == [[29.0, 2.0], [32.0, 2.0]]
    assert y_bars.get_segments()[0].ravel().tolist() == pytest.approx([30.0, 1.9, 30.0, 2.3])
    assert [t.get_text() for t in axes.texts] == ["hub.capacity_per_day=3,000,000", "hub.capacity_per_day=4,000,000",
                                                  "hub.capacity_per_day=5,000,000"]  # fmt: skip
    assert axes.get_xlabel() == metric_title("delivery_time_h_mean")
    assert axes.get_ylabel() == metric_title("cost_per_parcel_cny")
    with pytest.raises(ValueError, match="not in the sweep summary"):
        sweep_trade_off(_sweep())


def _item(metric: str, mean_a: float, difference: float, half: float, significant: bool) -> MetricComparison:
    return MetricComparison(metric, mean_a, mean_a + difference, difference, difference / abs(mean_a),
                            difference - half, difference + half, 5, 5, 0.01 if significant else 0.5,
                            0.01 if significant else 0.5, significant)  # fmt: skip


def test_comparison_draws_b_minus_a_as_a_share_of_a_from_compare(results):
    """Each metric's dot sits at (B − A) / |A| and its interval at the compare interval ÷ |A|; red when significant;
    the right axis gives B − A in the metric's unit. Cost: A 2.0, B − A −0.5 ± 0.1 → −25 % (−30 % … −20 %)."""
    found = Comparison(RunMetrics(Path("a"), 1, (1,), {}), RunMetrics(Path("b"), 1, (1,), {}), True, (
        _item("cost_per_parcel_cny", 2.0, -0.5, 0.1, True),
        _item("delivery_time_h_mean", 20.0, 1.0, 2.0, False),
    ))  # fmt: skip
    figure = plots.comparison(results, results, compared=found)
    axes, right = figure.axes
    chosen = [label.get_text() for label in axes.get_yticklabels()]
    assert chosen == [metric_label("delivery_time_h_mean"), metric_label("cost_per_parcel_cny")]
    cost_line, cost_dot = axes.get_lines()[2:4]
    assert list(cost_line.get_xdata()) == pytest.approx([-0.3, -0.2])
    assert list(cost_dot.get_xdata()) == pytest.approx([-0.25])
    assert cost_dot.get_color() == SIGNIFICANT
    assert axes.get_lines()[1].get_color() == NOT_SIGNIFICANT
    assert [label.get_text() for label in right.get_yticklabels()] == ["+1.00", "−0.500"]


def test_lang_switches_the_labels(results):
    """zh and en give the labels of the one labels table, metric names included."""
    assert text("hours", "zh") in _texts(plots.delivery_time_cdf(results, lang="zh"))
    assert text("hours", "en") in _texts(plots.delivery_time_cdf(results, lang="en"))
    assert metric_label("cost_per_parcel_cny", "zh") != metric_label("cost_per_parcel_cny", "en")
    assert all(len(pair) == len(LANGS) for pair in TEXT.values())
    assert all(len(entry) == 3 for entry in METRICS.values())


def test_cjk_font_has_every_glyph_of_the_chinese_labels():
    """The chosen CJK font has a glyph for every character of every zh label (no empty boxes)."""
    path = plots.cjk_font_path()
    assert path is not None, "a CJK font must come with simnet's install"
    font = FT2Font(str(path))
    chinese = "".join(zh for _, zh in TEXT.values()) + "".join(entry[1] for entry in METRICS.values())
    missing = {ch for ch in chinese if ord(ch) > 127 and font.get_char_index(ord(ch)) == 0}
    assert not missing


def test_chinese_figure_renders_without_missing_glyph_warnings(results, tmp_path):
    """Drawing a zh figure with Chinese county and carrier names raises no missing-glyph warning."""
    figure = plots.delivery_time_cdf(results, lang="zh")
    figure.axes[0].set_title("中通 圆通 韵达 申通 极兔 邮政/EMS 县01 小城")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing")
        figure.savefig(tmp_path / "zh.png")


def test_differences_of_shares_read_in_percentage_points():
    """On time 0.69 → 0.729 is +3.9 percentage points, not +3.9 %; a cost difference keeps its own unit."""
    assert signed("on_time_24h", 0.729 - 0.69) == "+3.9 pp"
    assert signed("on_time_24h", -0.031, "zh") == "−3.1 个百分点"
    assert signed("cost_per_parcel_cny", -0.555) == "−0.555"


def test_share_metrics_are_titled_in_per_cent():
    """A share's title names its unit (%); a metric whose label has its unit keeps it as it is."""
    assert metric_title("on_time_24h", "en") == f"{metric_label('on_time_24h', 'en')} (%)"
    assert metric_title("on_time_24h", "zh") == f"{metric_label('on_time_24h', 'zh')}（%）"
    assert metric_title("cost_per_parcel_cny", "en") == metric_label("cost_per_parcel_cny", "en")
    figure = plots.sweep_metric(_sweep(), "cost_per_parcel_cny", "hub.capacity_per_day")
    assert "(CNY)" in figure.axes[0].get_title()
