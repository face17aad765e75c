"""`python -m interpreter` is the same as `covenant`."""
import sys

from interpreter.cli import main

sys.exit(main())
