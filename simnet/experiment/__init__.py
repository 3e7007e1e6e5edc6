"""Replications and (later) sweeps: a layer over single runs that returns results in index order."""
