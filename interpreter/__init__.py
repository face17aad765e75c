"""Covenant's interpreter: static checks, evaluation, versions, reports, the CLI and REPL."""

__version__ = "0.1.0"
