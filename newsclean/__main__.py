"""`python -m newsclean` runs the command line."""

import sys

from newsclean.cli import main

sys.exit(main())
