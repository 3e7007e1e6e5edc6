"""Plots of simnet results; each function takes loaded results and returns a matplotlib ``Figure``.

Figures are built with the object API (``matplotlib.figure.Figure``), never pyplot, so they are
safe in worker processes and threads; show one in a notebook by leaving it as a cell's value, or
``figure.savefig("plot.png")``. Chinese text renders with a CJK font registered at import.
"""

from simnet.labels import Lang, metric_label
from simnet.plots._common import share_limits
from simnet.plots.comparison import comparison
from simnet.plots.cost import cost_breakdown, cost_per_parcel_by_tier
from simnet.plots.delivery import delivery_time_cdf
from simnet.plots.fleet import fleet_use, fleet_utilization, route_waits_h, vehicle_waits
from simnet.plots.fonts import cjk_family, cjk_font_path
from simnet.plots.hub import first_replication, hub_flow
from simnet.plots.network_map import county_maps, network_map
from simnet.plots.sweep import sweep_metric, sweep_parameters, sweep_trade_off

cjk_family()

__all__ = [
    "Lang",
    "cjk_family",
    "cjk_font_path",
    "comparison",
    "cost_breakdown",
    "cost_per_parcel_by_tier",
    "county_maps",
    "delivery_time_cdf",
    "first_replication",
    "fleet_use",
    "fleet_utilization",
    "hub_flow",
    "metric_label",
    "network_map",
    "route_waits_h",
    "share_limits",
    "sweep_metric",
    "sweep_parameters",
    "sweep_trade_off",
    "vehicle_waits",
]
