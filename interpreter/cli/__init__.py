"""The command line: `main` parses arguments and renders mistakes; `commands` runs each command."""
