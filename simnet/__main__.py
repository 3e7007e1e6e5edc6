"""``python -m simnet`` runs the command line."""

from simnet.cli import entry

entry()
