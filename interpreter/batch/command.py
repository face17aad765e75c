"""`covenant batch`: the command, from its parsed arguments to the exit status."""
from __future__ import annotations

import datetime as dt
import sys

from dsl.errors import FactProblem, Span, UsageProblem
from dsl.limits import BATCH_WORKERS
from dsl.reading import path_kind

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def add_batch_command(commands, date_type) -> None:
    """The `batch` subcommand's arguments (`commands` is argparse's subparsers)."""
    batch = commands.add_parser("batch", help="evaluate names over many scenarios (CSV or JSON Lines), streamed")
    batch.add_argument("paths", nargs="+", metavar="PATH")
    batch.add_argument("--scenarios", required=True, metavar="FILE",
                       help="one fact set a row: CSV (header = input names) or JSON Lines (.jsonl)")
    batch.add_argument("--facts", metavar="BASE", help="YAML fact base each row is layered over")
    batch.add_argument("--names", nargs="+", metavar="N", help="terms to evaluate (default: every term in force)")
    batch.add_argument("--out", required=True, metavar="FILE", help="results, .csv or .jsonl (written atomically)")
    batch.add_argument("--as-of", type=date_type, default=dt.date.today(), metavar="D",
                       help="evaluation date unless a row gives `as_of` (default: today)")
    batch.add_argument("--reading", action="append", metavar="NAME", help="evaluate under a named reading")
    batch.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default 1)")
    batch.add_argument("--on-error", choices=("skip", "stop"), default="skip",
                       help="a bad row is reported and skipped (default), or stops the batch")
    batch.add_argument("--dask", metavar="SCHEDULER", help="run on Dask: a scheduler address, or `local` "
                                                            "(needs the optional extra: pip install '.[dask]')")
    batch.set_defaults(run=cmd_batch)


def cmd_batch(args) -> int:
    """Evaluate the names for every scenario; 1 when rows were skipped."""
    # Imported here: every other command starts without the batch machinery.
    from interpreter.batch.job import BatchJob
    from interpreter.batch.runner import BatchStopped, run_batch
    from interpreter.batch.scenarios import count_rows, scenario_chunks, scenario_format
    from interpreter.evaluation.facts import read_facts, read_yaml_file
    from interpreter.static.cache import checked_deal, version_compiler
    from interpreter.versions.in_force import known_inputs, version_for

    paths = args.paths
    if not 1 <= args.workers <= BATCH_WORKERS:
        raise UsageProblem(f"--workers must be from 1 to {BATCH_WORKERS}")
    if path_kind(args.scenarios) != "file":
        raise UsageProblem(f"no such scenario file: {args.scenarios}")
    out_format = scenario_format(args.out)
    deal, written, key = checked_deal(paths)
    base_node = read_yaml_file(args.facts)[0] if args.facts else None
    base_file = args.facts or "<no facts>"
    # The names, and the base facts, are checked once against the deal in force on
    # --as-of: a mistake there is the command's, not a row's.
    model, _ = version_for(deal, written, [(base_file, base_node)], args.as_of, compile=version_compiler(key))
    read_facts(base_node, base_file, written, tolerated=known_inputs(deal, written))
    if args.names:
        names = tuple(".".join(model.locate(n)) for n in args.names)
    else:
        names = tuple(f"{s.id}.{n}" for s in model.scopes.values() for n in (*s.definitions, *s.obligations))
    _check_columns(args.scenarios, deal, written)
    job = BatchJob(deal, written, base_node, base_file, args.scenarios, args.as_of, names, out_format,
                   readings=model.choose_readings(args.reading or []))
    total = count_rows(args.scenarios) if sys.stderr.isatty() else None
    try:
        answered, skipped = run_batch(job, scenario_chunks(args.scenarios), args.out, workers=args.workers,
                                      dask=args.dask, on_error=args.on_error, total=total)
    except BatchStopped as stop:
        print(str(stop), file=sys.stderr)
        print("stopped at the first bad row (--on-error stop); nothing written", file=sys.stderr)
        return EXIT_USAGE
    print(f"{answered} row{'s' if answered != 1 else ''} answered, {len(names)} name{'s' if len(names) != 1 else ''}"
          f" each, written to {args.out}" + (f"; {skipped} skipped (see above)" if skipped else ""), file=sys.stderr)
    return EXIT_FINDINGS if skipped else EXIT_OK


def _check_columns(path: str, deal, written) -> None:
    """Every column of a CSV scenario file must name an input of the deal."""
    from interpreter.batch.scenarios import AS_OF_COLUMN, header
    from interpreter.evaluation.facts import input_names
    from interpreter.static.scope import suggest
    from interpreter.versions.in_force import known_inputs

    known = input_names(written) | known_inputs(deal, written) | {AS_OF_COLUMN}
    for name in header(path):
        if name.strip() not in known:
            raise FactProblem(f"unknown column `{name}`: no agreement loaded declares this input",
                              Span(path, 1, 1, 1, 2), hint=suggest(name, sorted(k for k in known if "." not in k)) or
                              "columns are the inputs declared with `input` in the .cov files")
