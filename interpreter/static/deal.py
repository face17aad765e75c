"""Loading a deal: every `.cov` file given, or found in the folders given, and the
agreements those refer to (qualified names, `restates`, `amends`), found in the
folders of the files given."""
from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from dsl import ast
from dsl.errors import CovenantError, Findings, NameProblem, UsageProblem
from dsl.limits import COV_FILE_BYTES, FOLDER_ENTRIES
from dsl.reading import path_kind, read_text


@dataclass
class Deal:
    """The agreements of one deal, by id, with the text of every file read."""

    agreements: dict[str, ast.Agreement] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    # Agreements loaded because a file given refers to them: (id, path, referred to by).
    added: list[tuple[str, str, str]] = field(default_factory=list)

    def added_lines(self) -> list[str]:
        """One note per agreement loaded because another refers to it."""
        return [f"note: also loaded {aid} from {path} ({by} refers to it)" for aid, path, by in self.added]


def cov_files(paths: list[str]) -> list[Path]:
    """The `.cov` files named, or inside the folders named, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        kind = path_kind(raw)
        if kind == "folder":
            found = _cov_files_in(path, raw)
            if not found:
                raise UsageProblem(f"no .cov files in folder {raw}",
                                   hint="give a .cov file or a folder that holds some")
            files.extend(found)
        elif kind == "file":
            files.append(path)
        elif kind == "other":
            raise UsageProblem(f"{raw} is a device or a pipe, not a .cov file",
                               hint="give a .cov file or a folder that holds some")
        else:
            raise UsageProblem(f"no such file or folder: {raw[:200]}" + ("…" if len(raw) > 200 else ""))
    return list(dict.fromkeys(files))


def _cov_files_in(folder: Path, raw: str) -> list[Path]:
    """The `.cov` files inside a folder and its subfolders, sorted. The walk does not
    follow links to folders and stops, with a message, after FOLDER_ENTRIES entries: a
    deal's folder holds a few files, and `covenant check /` must not walk the disk."""
    found: list[Path] = []
    seen = 0
    stack = [folder]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue  # a subfolder that cannot be listed holds nothing to load
        seen += len(entries)
        if seen > FOLDER_ENTRIES:
            raise UsageProblem(f"folder {raw} holds more than {FOLDER_ENTRIES:,} files and folders",
                               hint="name the folder of the deal, or its .cov files")
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.name.endswith(".cov") and entry.is_file():
                found.append(Path(entry.path))
    return sorted(found)


def sibling_files(paths: list[str]) -> list[Path]:
    """The `.cov` files beside the files named (not inside folders named): where the
    agreements they refer to are looked for."""
    folders = dict.fromkeys(Path(p).parent for p in paths if path_kind(p) != "folder")
    return [f for folder in folders for f in sorted(folder.glob("*.cov")) if path_kind(str(f)) == "file"]


_HEADER_ID = re.compile(r"^\s*agreement\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)


def load_deal(paths: list[str]) -> Deal:
    """Parse every agreement, and those they refer to from the folders of the files
    named; raise Findings holding every syntax error found."""
    deal = Deal()
    errors: list[CovenantError] = []
    for path in cov_files(paths):
        _add(deal, path, errors)
    if not errors:
        _add_referenced(deal, [p for p in sibling_files(paths) if str(p) not in deal.sources], errors)
    if errors:
        raise Findings(errors)
    return deal


def _read(path: Path) -> str:
    return read_text(path, ".cov file", COV_FILE_BYTES, UsageProblem)


def _add(deal: Deal, path: Path, errors: list[CovenantError], text: str | None = None) -> ast.Agreement | None:
    """Parse one file into the deal; a syntax error, or a second agreement of the same
    id, is kept in `errors`."""
    from dsl.parser import parse  # Lark only when something is parsed (not for a cached deal)

    text = _read(path) if text is None else text
    deal.sources[str(path)] = text
    try:
        agreement = parse(text, str(path))
    except CovenantError as error:
        errors.append(error)
        return None
    if agreement.id in deal.agreements:
        first = deal.agreements[agreement.id]
        errors.append(NameProblem(f"agreement `{agreement.id}` is declared twice", agreement.span,
                                  notes=[f"first declared in {first.path}"],
                                  hint="give each agreement its own id"))
        return None
    deal.agreements[agreement.id] = agreement
    return agreement


def _add_referenced(deal: Deal, candidates: list[Path], errors: list[CovenantError]) -> None:
    """Load, from `candidates`, every agreement a loaded one refers to, and what those
    refer to in turn. A candidate's id is read from its header before it is parsed."""
    by_id: dict[str, tuple[Path, str]] = {}
    for path in candidates:
        text = _read(path)
        match = _HEADER_ID.search(text)
        if match:
            by_id.setdefault(match.group(1), (path, text))
    pending = list(deal.agreements.values())
    while pending:
        agreement = pending.pop()
        for aid in sorted(referenced_ids(agreement)):
            if aid in deal.agreements or aid not in by_id:
                continue
            path, text = by_id.pop(aid)
            added = _add(deal, path, errors, text)
            if added is not None:
                deal.added.append((added.id, str(path), agreement.id))
                pending.append(added)


def referenced_ids(agreement: ast.Agreement) -> set[str]:
    """The ids of other agreements this one may refer to: what it restates or amends,
    and the first part of every dotted name (`indenture_1997.notes_repaid_date`)."""
    found = {agreement.restates, agreement.amends} - {None}
    stack: list[object] = [agreement]
    while stack:  # iterative: an expression may nest deeply
        node = stack.pop()
        if isinstance(node, ast.Attribute) and isinstance(node.base, ast.Name):
            found.add(node.base.id)
        if isinstance(node, tuple):
            stack.extend(node)
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            stack.extend(getattr(node, f.name) for f in dataclasses.fields(node))
    found.discard(agreement.id)
    return found


class UnloadedInputs:
    """The inputs declared by agreements beside the files loaded but not loaded
    themselves, plain and qualified: a fact for one of them is passed over with a
    warning. The files are parsed only when first asked about."""

    def __init__(self, deal: Deal):
        self._files = [p for p in sibling_files(list(deal.sources)) if str(p) not in deal.sources]
        self._names: frozenset[str] | None = None

    def __contains__(self, key: object) -> bool:
        if self._names is None:
            from dsl.parser import parse

            names = set()
            for path in self._files:
                try:
                    agreement = parse(_read(path), str(path))
                except CovenantError:
                    continue  # a file that does not parse declares nothing usable
                names |= {n for i in agreement.inputs for n in (i.name, f"{agreement.id}.{i.name}")}
            self._names = frozenset(names)
        return key in self._names

