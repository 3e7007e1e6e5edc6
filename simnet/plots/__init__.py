"""Plots of simnet results; each function takes loaded results and returns a matplotlib ``Figure``.

Figures are built with the object API (``matplotlib.figure.Figure``), never pyplot, so they are
safe in worker processes and threads; show one in a notebook by leaving it as a cell's value, or
``figure.savefig("plot.png")``. Chinese text renders with a CJK font registered at import.
"""

from simnet.plots.comparison import comparison
from simnet.plots.cost import cost_breakdown, cost_per_parcel_by_tier
from simnet.plots.delivery import delivery_time_cdf
from simnet.plots.fleet import fleet_utilization
from simnet.plots.fonts import cjk_family, cjk_font_path
from simnet.plots.hub import hub_flow
from simnet.plots.labels import Lang, metric_label
from simnet.plots.network_map import network_map
from simnet.plots.sweep import sweep_metric, sweep_parameters

cjk_family()

__all__ = [
    "Lang",
    "cjk_family",
    "cjk_font_path",
    "comparison",
    "cost_breakdown",
    "cost_per_parcel_by_tier",
    "delivery_time_cdf",
    "fleet_utilization",
    "hub_flow",
    "metric_label",
    "network_map",
    "sweep_metric",
    "sweep_parameters",
]
