"""``simnet.plots``: each function returns a Figure with the expected axes and artists; Chinese renders fully."""

import warnings
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

import simnet.plots as plots
from simnet.experiment.replications import run_scenario
from simnet.plots.labels import LANGS, METRICS, TEXT, metric_label, text
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


def test_cost_breakdown_adds_up_to_cost_per_parcel(results):
    """The stacked bars of all tiers add up to the run's mean cost per rural parcel."""
    table = plots.cost_per_parcel_by_tier(results)
    assert table.to_numpy().sum() == pytest.approx(results.summary.loc["cost_per_parcel_cny", "mean"], rel=1e-9)
    figure = plots.cost_breakdown(results)
    assert len(figure.axes[0].patches) == table.size


def test_hub_flow_has_two_cumulative_curves_and_the_queue(results):
    """Arrivals and sorted curves on the first axis (sorted never above arrivals), the queue on a twin axis."""
    figure = plots.hub_flow(results, replication=1)
    first, twin = figure.axes
    arrived, sorted_ = (line.get_ydata() for line in first.get_lines()[:2])
    assert (sorted_ <= arrived).all()
    assert twin.collections, "parcels inside are drawn as a filled area"
    with pytest.raises(ValueError, match="replication 9"):
        plots.hub_flow(results, replication=9)


def test_fleet_utilization_has_a_panel_per_tier(results):
    """One panel per tier in the fleets table, with owned and needed bars per measured day."""
    figure = plots.fleet_utilization(results)
    tiers = results.tables["fleets"]["tier"].nunique()
    days = results.tables["fleets"]["day"].nunique()
    assert len(figure.axes) == tiers
    assert all(len(axes.patches) == 2 * days for axes in figure.axes)


def test_network_map_draws_sites_and_routes(results):
    """Every site is drawn (scatter points add up) and routes appear as line collections only when asked."""
    figure = plots.network_map(results)
    axes = figure.axes[0]
    points = sum(len(c.get_offsets()) for c in axes.collections if not isinstance(c, LineCollection))
    assert points == len(results.tables["sites"])
    route_lines = [c for c in axes.collections if isinstance(c, LineCollection)]
    assert len(route_lines) == 1 + results.tables["routes"]["tier"].nunique()  # trunk links + one per tier
    bare = plots.network_map(results, routes=False)
    assert len([c for c in bare.axes[0].collections if isinstance(c, LineCollection)]) == 1


def test_sweep_metric_draws_a_line_and_band_per_other_value():
    """With two varied parameters, one mean line and one CI band per value of the other parameter."""
    figure = plots.sweep_metric(_sweep(), "cost_per_parcel_cny", "hub.capacity_per_day")
    axes = figure.axes[0]
    assert len(axes.get_lines()) == 2
    assert len(axes.collections) == 2
    with pytest.raises(ValueError, match="not in the sweep summary"):
        plots.sweep_metric(_sweep(), "nope", "hub.capacity_per_day")


def test_comparison_has_a_panel_per_metric_with_two_bars(results):
    """Each chosen metric gets a panel with bars A and B."""
    figure = plots.comparison(results, results, metrics=["cost_per_parcel_cny", "delivery_time_h_mean"])
    visible = [axes for axes in figure.axes if axes.get_visible()]
    assert len(visible) == 2
    assert all(len(axes.patches) == 2 for axes in visible)


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
