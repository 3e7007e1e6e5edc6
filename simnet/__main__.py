"""``python -m simnet`` runs the command line."""

import sys

from simnet.cli import main

sys.exit(main())
