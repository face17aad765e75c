"""`covenant`: the command line — its parser, and one clear message and exit code for
every mistake. The commands themselves are in `interpreter.cli.commands`.

Exit codes: 0 success, 1 findings (check errors, an evaluation the agreement does not
settle), 2 bad usage or unreadable input."""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys

from dsl.dates import NotADate, calendar_date
from dsl.errors import CovenantError, EvaluationProblem, FactProblem, Findings, NameProblem, UsageProblem, render
from dsl.limits import PYTHON_RECURSION
from interpreter.reports import graph_export
from interpreter.static import cache
from interpreter.batch.command import add_batch_command
from interpreter.cli.answers import cmd_eval, cmd_explain, cmd_needs
from interpreter.cli.targets import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


def _command(module: str, name: str):
    """The command `name` of `module`, imported when it runs: `eval`, the command run
    most often, starts without the modules of the others."""
    def run(args) -> int:
        return getattr(importlib.import_module(module), name)(args)
    return run


_COMMANDS, _EDITING = "interpreter.cli.commands", "interpreter.cli.editing"
cmd_ask = _command(_COMMANDS, "cmd_ask")
cmd_check = _command(_COMMANDS, "cmd_check")
cmd_coverage = _command(_COMMANDS, "cmd_coverage")
cmd_diff = _command(_COMMANDS, "cmd_diff")
cmd_graph = _command(_COMMANDS, "cmd_graph")
cmd_repl = _command(_COMMANDS, "cmd_repl")
cmd_show = _command(_COMMANDS, "cmd_show")
cmd_timeline = _command(_COMMANDS, "cmd_timeline")
cmd_fmt = _command(_EDITING, "cmd_fmt")
cmd_lsp = _command(_EDITING, "cmd_lsp")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one clear line and exit code 2."""

    def error(self, message: str):
        raise UsageProblem(message, hint=f"see `{self.prog} --help`")


def _date(text: str) -> dt.date:
    try:
        return calendar_date(text)
    except NotADate as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="covenant", description="Evaluate legal agreements written in the Covenant language.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(cmd, facts=True):
        if facts:
            cmd.add_argument("--facts", action="append", metavar="F",
                             help="YAML fact base (repeatable: later files override earlier ones, key by key)")
            cmd.add_argument("--as-of", type=_date, default=dt.date.today(), metavar="D",
                             help="evaluation date, YYYY-MM-DD (default: today)")
            cmd.add_argument("--reading", action="append", metavar="NAME",
                             help="evaluate under a named alternative reading (repeatable)")
        cmd.add_argument("--json", action="store_true", help="print JSON for tools")

    check = commands.add_parser("check", help="parse, resolve, type-check and look for cycles")
    check.add_argument("paths", nargs="+", metavar="PATH")
    common(check, facts=False)
    check.set_defaults(run=cmd_check)

    for name, run, text in (("eval", cmd_eval, "evaluate terms (all, or the NAMEs given)"),
                            ("explain", cmd_explain, "show how a term's value is derived"),
                            ("needs", cmd_needs, "list the facts that can decide a term")):
        cmd = commands.add_parser(name, help=text)
        cmd.add_argument("targets", nargs="+", metavar="PATH... NAME")
        common(cmd)
        if name == "eval":
            cmd.add_argument("--compare-readings", action="store_true",
                             help="show where each named reading gives a different answer")
            cmd.add_argument("--all", action="store_true",
                             help="list every term, the unknown ones too (default: the known ones, then a "
                                  "summary of the facts missing)")
        cmd.set_defaults(run=run)

    ask = commands.add_parser("ask", help="is a proposed action permitted? (exit 1 when prohibited)")
    ask.add_argument("targets", nargs="+", metavar="PATH... [KIND key=value...]")
    ask.add_argument("--action", metavar="ACTION.yaml", help="the proposed action as YAML")
    common(ask)
    ask.set_defaults(run=cmd_ask)

    compare = commands.add_parser("diff", help="what changed between two versions or two agreements")
    compare.add_argument("targets", nargs="+", metavar="PATH... OLD NEW")
    compare.add_argument("--facts", action="append", metavar="F", help="fact base (repeatable): show values that differ")
    compare.add_argument("--as-of", type=_date, default=dt.date.today(), metavar="D",
                         help="evaluation date for versions not given as NAME@DATE (default: today)")
    compare.add_argument("--format", choices=("text", "markdown"), default="text")
    compare.add_argument("--json", action="store_true", help="print JSON for tools")
    compare.set_defaults(run=cmd_diff)

    show = commands.add_parser("show", help="the agreement as in force on a date, amended parts marked")
    show.add_argument("targets", nargs="+", metavar="PATH... AGREEMENT")
    common(show)
    show.set_defaults(run=cmd_show)

    timeline = commands.add_parser("timeline", help="every deadline and dated event of the deal, with its status")
    timeline.add_argument("paths", nargs="+", metavar="PATH")
    common(timeline)  # --as-of is the date statuses are read on
    timeline.add_argument("--from", dest="start", type=_date, metavar="D", help="only items on or after D")
    timeline.add_argument("--to", dest="end", type=_date, metavar="D", help="only items on or before D")
    timeline.add_argument("--ics", metavar="FILE", help="also write the dated items as an iCalendar file")
    timeline.set_defaults(run=cmd_timeline)

    cover = commands.add_parser("coverage", help="every section of every agreement and what became of it "
                                                 "(exit 1 when a heading is empty or a source section is missing)")
    cover.add_argument("paths", nargs="+", metavar="PATH")
    cover.add_argument("--json", action="store_true", help="print JSON for tools")
    cover.set_defaults(run=cmd_coverage)

    graph = commands.add_parser("graph", help="draw the clause graph")
    graph.add_argument("paths", nargs="+", metavar="PATH")
    graph.add_argument("--format", choices=graph_export.FORMATS, default="dot")
    graph.add_argument("--focus", metavar="NAME", help="only this term, what it uses and what uses it")
    graph.set_defaults(run=cmd_graph)

    fmt = commands.add_parser("fmt", help="lay out .cov files the one canonical way (rewritten atomically)")
    fmt.add_argument("paths", nargs="+", metavar="PATH")
    fmt.add_argument("--check", action="store_true", help="change nothing; list the files not formatted (exit 1)")
    fmt.add_argument("--diff", action="store_true", help="change nothing; print what formatting would change")
    fmt.set_defaults(run=cmd_fmt)

    add_batch_command(commands, _date)

    server = commands.add_parser("lsp", help="the language server, over standard input and output (for editors)")
    server.set_defaults(run=cmd_lsp)

    repl = commands.add_parser("repl", help="ask questions interactively (or from a script on standard input)")
    repl.add_argument("paths", nargs="*", metavar="PATH")
    repl.add_argument("--facts", metavar="F", help="YAML fact base")
    repl.add_argument("--as-of", type=_date, default=dt.date.today(), metavar="D",
                      help="evaluation date, YYYY-MM-DD (default: today)")
    repl.set_defaults(run=cmd_repl)
    return parser


def _prepare_streams() -> None:
    """Text that standard output cannot encode (a lone surrogate from a file name or a
    terminal) is written escaped (`\\udcff`), never a crash; standard input that is not
    UTF-8 is read with a replacement character, which then gets its own message."""
    for stream, errors in ((sys.stdout, "backslashreplace"), (sys.stderr, "backslashreplace"),
                           (sys.stdin, "replace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=errors)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; every user mistake is one rendered message and an exit code."""
    _prepare_streams()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), PYTHON_RECURSION))
    try:
        cache.freeze_loaded = argv is None  # run as a command, not called by a test
        parser = build_parser()
        args, extra = parser.parse_known_args(argv)
        # Names may follow options (`eval deal/ --facts f.yaml price`): argparse leaves them over.
        stray = [e for e in extra if e.startswith("-") or not hasattr(args, "targets")]
        if stray:
            parser.error(f"unrecognized arguments: {' '.join(stray)}")
        if extra:
            args.targets.extend(extra)
        return args.run(args)
    except Findings as findings:
        for error in findings.errors:
            print(render(error), file=sys.stderr)
        return EXIT_FINDINGS
    except (UsageProblem, FactProblem) as error:
        print(render(error), file=sys.stderr)
        return EXIT_USAGE
    except (NameProblem, EvaluationProblem, CovenantError) as error:
        print(render(error), file=sys.stderr)
        return EXIT_FINDINGS if not isinstance(error, NameProblem) or error.span else EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
