"""`python -m interpreter` is the same as `covenant`."""
import sys

from interpreter.cli.main import main

sys.exit(main())
