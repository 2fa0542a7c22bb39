"""`python -m bot` does what the `newsbot` console script does."""

import sys

from bot.cli import main

sys.exit(main())
