"""The reference engine: the same model written the obvious SimPy way, one process per parcel.

Every parcel is a process that arrives, queues for the hub's sorting line (a ``simpy.Resource``),
waits in the hub's outbound store for a truck, queues for its park or depot line and waits in
its dispatch point's store; trucks, waves and route vehicles are processes that move parcels
between stores. Sorting lines work at the rate of their shifts (and breakdowns), pausing a
parcel's sorting when the line stops. Nothing here is vectorised: its worth is that it can be
read and believed, and that the fast engine must give every parcel the same times.

Same-time events: a dispatcher (cut-off, wave, return departure) waits one zero-delay step
before looking, so that parcels finishing at that very instant are already in its store, as
"ready by T" in the fast engine.

One module per tier: ``hub`` (the day driver and the hub's line), ``trunk``, ``park`` (park and
depot lines), ``last_mile`` (dispatch points, their waves and vehicles); ``model`` wires them
and gathers the outcome.
"""

from simnet.engine.reference.model import ReferenceModel, run_reference

__all__ = ["ReferenceModel", "run_reference"]
