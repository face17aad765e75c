"""Loading a deal: every `.cov` file given, or found in the folders given."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dsl import ast
from dsl.errors import CovenantError, Findings, NameProblem, UsageProblem


@dataclass
class Deal:
    """The agreements of one deal, by id, with the text of every file read."""

    agreements: dict[str, ast.Agreement] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def cov_files(paths: list[str]) -> list[Path]:
    """The `.cov` files named, or inside the folders named, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.rglob("*.cov"))
            if not found:
                raise UsageProblem(f"no .cov files in folder {raw}",
                                   hint="give a .cov file or a folder that holds some")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UsageProblem(f"no such file or folder: {raw}")
    return list(dict.fromkeys(files))


def load_deal(paths: list[str]) -> Deal:
    """Parse every agreement; raise Findings holding every syntax error found."""
    from dsl.parser import parse  # Lark only when something is parsed (not for a cached deal)

    deal = Deal()
    errors: list[CovenantError] = []
    for path in cov_files(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageProblem(f"cannot read {path}: {error}") from None
        deal.sources[str(path)] = text
        try:
            agreement = parse(text, str(path))
        except CovenantError as error:
            errors.append(error)
            continue
        if agreement.id in deal.agreements:
            first = deal.agreements[agreement.id]
            errors.append(NameProblem(f"agreement `{agreement.id}` is declared twice", agreement.span,
                                      notes=[f"first declared in {first.path}"],
                                      hint="give each agreement its own id"))
            continue
        deal.agreements[agreement.id] = agreement
    if errors:
        raise Findings(errors)
    return deal
