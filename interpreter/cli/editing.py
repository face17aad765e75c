"""The commands for editing `.cov` files: `fmt` (the canonical layout) and `lsp`
(the language server). Each imports its machinery only when it runs."""
from __future__ import annotations

import difflib
import sys

from dsl.errors import CovenantError, UsageProblem, render
from interpreter.cli.targets import EXIT_FINDINGS, EXIT_OK


def cmd_fmt(args) -> int:
    """Format the files: rewrite them (atomically), or with --check list those not
    formatted (exit 1), or with --diff print the change."""
    from interpreter.editor.fmt import format_text
    from interpreter.reports.files import write_atomically
    from interpreter.static.deal import cov_files

    changed, broken = [], 0
    for path in cov_files(args.paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageProblem(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
        try:
            formatted = format_text(text, str(path))
        except CovenantError as error:
            print(render(error, {str(path): text}), file=sys.stderr)
            broken += 1
            continue
        if formatted == text:
            continue
        changed.append(path)
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(
                text.splitlines(True), formatted.splitlines(True), f"{path}", f"{path} (formatted)"))
        if args.check:
            print(f"not formatted: {path}", file=sys.stderr)
        elif not args.diff:
            write_atomically(str(path), formatted)
            print(f"formatted {path}", file=sys.stderr)
    if broken:
        print(f"{broken} file{'s' if broken != 1 else ''} could not be formatted (syntax errors)", file=sys.stderr)
        return EXIT_FINDINGS
    if args.check and changed:
        print(f"{len(changed)} file{'s' if len(changed) != 1 else ''} would be reformatted "
              f"(run `covenant fmt {' '.join(args.paths)}`)", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_lsp(args) -> int:
    """Serve the Language Server Protocol over standard input and output."""
    try:
        from interpreter.editor.lsp.server import main as serve
    except ImportError as error:
        raise UsageProblem(f"the language server needs {error.name}, which is not installed",
                           hint="install the editor extra: pip install 'covenant[editor]'") from None
    return serve()
