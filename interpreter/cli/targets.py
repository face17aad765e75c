"""What the command line names: files and folders, terms, and the exit codes."""
from __future__ import annotations

from dsl.errors import NameProblem, UsageProblem
from dsl.reading import path_kind
from interpreter.static.model import Model

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def split_targets(items: list[str], want: int | None = None, usage: str = "") -> tuple[list[str], list[str]]:
    """Positional words are paths when they exist or end in .cov, names otherwise;
    `want` is how many names the command takes."""
    paths = [i for i in items if i.endswith(".cov") or path_kind(i) is not None]
    names = [i for i in items if i not in paths]
    if not paths:
        raise UsageProblem("no agreement given", hint="name a .cov file or a folder of them first")
    if want is not None and len(names) != want:
        raise UsageProblem(f"expected {want} name{'s' if want > 1 else ''} after the files, got {len(names)}"
                           + (f": {' '.join(names)}" if names else ""), hint=f"usage: covenant {usage}")
    return paths, names


def locate(model: Model, name: str, paths: list[str], as_of) -> tuple[str, str]:
    """A term of the version in force; one that only another version has is named so,
    with the amendment that removed it when one did."""
    from interpreter.static.cache import checked_deal
    from interpreter.versions.lineage import removed_by

    try:
        return model.locate(name)
    except NameProblem as problem:
        written = checked_deal(paths)[0]
        owners = [a.id for a in written.agreements.values()
                  if name.rpartition(".")[2] in {*(d.name for d in a.definitions), *(o.name for o in a.obligations),
                                                 *(i.name for i in a.inputs), *(n.name for n in a.norms)}
                  and (("." not in name) or name.startswith(a.id + "."))]
        if not owners:
            raise problem
        plain = name.rpartition(".")[2]
        removal = next((r for owner in owners if (r := removed_by(written, owner, plain))), None)
        if removal:
            raise NameProblem(f"`{name}` is not in force on {as_of}: {removal} removed it",
                              hint="evaluate an earlier --as-of, or the facts under which the amendment "
                                   "does not take effect") from None
        raise NameProblem(f"`{name}` is not in force on {as_of}", hint="its agreement has not begun or has been "
                          "restated; try another --as-of") from None


def terms_of(model: Model, names: list[str], paths: list[str], as_of) -> tuple[list[tuple[str, str]], list]:
    """The terms named (every defined term and obligation when none is), and a problem
    for each name that is not a term in force: the others still answer."""
    if not names:  # the agreements named, not those loaded only because they refer to them
        brought = {aid for aid, _, _ in model.deal.added}
        return [(scope.id, name) for scope in model.scopes.values() if scope.id not in brought
                for name in (*scope.definitions, *scope.obligations)], []
    terms, problems = [], []
    for name in names:
        try:
            terms.append(locate(model, name, paths, as_of))
        except NameProblem as problem:
            if len(names) == 1:
                raise
            problems.append(problem)
    return terms, problems
