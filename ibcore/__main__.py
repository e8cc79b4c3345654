"""`python -m ibcore` is the `ibrep` command."""

import sys

from ibcore.cli import main

sys.exit(main())
