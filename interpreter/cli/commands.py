"""What each `covenant` command does, given its parsed arguments; `cli` parses them."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from dsl.errors import EvaluationProblem, FactProblem, Findings, NameProblem, UsageProblem, render
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import FactBase, read_facts, read_yaml_file
from interpreter.evaluation.norms import decide, inline_action, read_action
from interpreter.reports.output import (explain_lines, format_value, json_derivation, json_result, json_verdict,
                                        verdict_lines)
from interpreter.static.cache import checked_deal
from interpreter.static.deal import load_deal
from interpreter.static.graph import node_id
from interpreter.static.model import Model
from interpreter.static.scope import suggest
from interpreter.versions.in_force import load_version
from interpreter.versions.lineage import in_force

# What only one command uses (diffs, reports, the graph's drawing, the REPL and with
# them networkx and prompt_toolkit) is imported by that command, so that `eval`
# starts quickly.

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _split_targets(items: list[str], want: int | None = None, usage: str = "") -> tuple[list[str], list[str]]:
    """Positional words are paths when they exist or end in .cov, names otherwise;
    `want` is how many names the command takes."""
    paths = [i for i in items if i.endswith(".cov") or Path(i).exists()]
    names = [i for i in items if i not in paths]
    if not paths:
        raise UsageProblem("no agreement given", hint="name a .cov file or a folder of them first")
    if want is not None and len(names) != want:
        raise UsageProblem(f"expected {want} name{'s' if want > 1 else ''} after the files, got {len(names)}"
                           + (f": {' '.join(names)}" if names else ""), hint=f"usage: covenant {usage}")
    return paths, names


def _model(paths: list[str]) -> Model:
    return checked_deal(paths)[1]


def _locate(model: Model, name: str, paths: list[str], as_of) -> tuple[str, str]:
    """A term of the version in force; one that only another version has is named so."""
    try:
        return model.locate(name)
    except NameProblem as problem:
        written = {f"{a.id}.{n}" for a in load_deal(paths).agreements.values()
                   for n in (*(d.name for d in a.definitions), *(o.name for o in a.obligations),
                             *(i.name for i in a.inputs))}
        if name in written or any(w.endswith(f".{name}") for w in written):
            raise NameProblem(f"`{name}` is not in force on {as_of}", hint="its agreement has not begun, has been "
                              "restated, or an amendment removed it; try another --as-of") from None
        raise problem


def _terms(model: Model, names: list[str], paths: list[str], as_of) -> list[tuple[str, str]]:
    if names:
        return [_locate(model, n, paths, as_of) for n in names]
    return [(scope.id, name) for scope in model.scopes.values()
            for name in (*scope.definitions, *scope.obligations)]


def _require_facts(model: Model, facts: FactBase, terms: list[tuple[str, str]]) -> None:
    """Every required (non-optional, no default) input the terms depend on must be given."""
    missing: dict[str, list[str]] = {}
    for agreement, name in terms:
        for node in model.inputs_deciding(node_id(agreement, name)):
            owner, input_name = node.split(".", 1)
            decl = model.scopes[owner].inputs[input_name]
            if not decl.optional and decl.default is None and not facts.has(owner, input_name):
                missing.setdefault(input_name, []).append(name)
    if missing:
        first = next(iter(missing))
        decl_span = next(s.inputs[first].span for s in model.scopes.values() if first in s.inputs)
        listed = "; ".join(f"`{k}` (needed by {', '.join(sorted(set(v))[:3])})" for k, v in missing.items())
        raise FactProblem(f"the fact base does not give required input{'s' if len(missing) > 1 else ''}: {listed}",
                          decl_span, hint="add them to the fact file, or declare the inputs `optional`")


def cmd_check(args) -> int:
    try:
        model = _model(args.paths)
    except Findings as findings:
        for error in findings.errors:
            print(render(error), file=sys.stderr)
        for warning in findings.warnings:
            print(render(warning), file=sys.stderr)
        print(f"{len(findings.errors)} error{'s' if len(findings.errors) != 1 else ''}", file=sys.stderr)
        return EXIT_FINDINGS
    for warning in model.warnings:
        print(render(warning), file=sys.stderr)
    counts = {k: sum(len(getattr(s, k)) for s in model.scopes.values())
              for k in ("inputs", "definitions", "obligations")}
    if args.json:
        print(json.dumps({"ok": True, "agreements": list(model.scopes), **counts,
                          "warnings": [w.message for w in model.warnings]}, indent=2))
    else:
        print(f"ok: {len(model.scopes)} agreement{'s' if len(model.scopes) != 1 else ''} "
              f"({', '.join(model.scopes)}), {counts['definitions']} definitions, "
              f"{counts['obligations']} obligations, {counts['inputs']} inputs")
    return EXIT_OK


def cmd_eval(args) -> int:
    paths, names = _split_targets(args.targets)
    model, facts = load_version(paths, args.facts, args.as_of)
    terms = _terms(model, names, paths, args.as_of)
    _require_facts(model, facts, terms)
    readings = model.choose_readings(args.reading or [])
    evaluator = Evaluator(model, facts, args.as_of, readings=readings)
    results, failures = [], []
    for agreement, name in terms:
        try:
            results.append(evaluator.derive(agreement, name))
        except EvaluationProblem as problem:  # the other terms still answer
            failures.append(problem)
    for shown in dict.fromkeys(render(problem) for problem in failures):  # once each
        print(shown, file=sys.stderr)
    status = EXIT_FINDINGS if failures else EXIT_OK
    if args.compare_readings:
        return _compare_readings(model, facts, args, results) or status
    if args.json:
        print(json.dumps({d.name: json_result(d) for d in results}, indent=2, ensure_ascii=False))
        return status
    current = None
    for d in results:
        agreement = d.name.split(".", 1)[0]
        if agreement != current:
            current = agreement
            agr = model.scopes[agreement].agreement
            dated = f", dated {agr.dated}" if agr.dated else ""
            print(f"{agr.title} ({agreement}{dated}), as of {args.as_of}")
        value = format_value(d.value, d.type)
        if d.needs:
            value += f"  (needs {', '.join(d.needs)})"
        print(f"  {d.name.split('.', 1)[1]} = {value}    {d.citation}")
    return status


def _compare_readings(model: Model, facts: FactBase, args, results) -> int:
    """Each named reading alone against the default: the terms whose values differ."""
    rows = []
    for reading in model.reading_names():
        other = Evaluator(model, facts, args.as_of, readings=frozenset({reading}))
        for base in results:
            alt = other.derive(*base.name.split(".", 1))
            if format_value(alt.value, alt.type) != format_value(base.value, base.type):
                rows.append((reading, base, alt))
    if args.json:
        print(json.dumps([{"reading": r, "term": b.name, "default": json_result(b), "reading_value": json_result(a)}
                          for r, b, a in rows], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print(f"no reading changes any result for these facts (readings: {', '.join(model.reading_names()) or 'none'})")
    for reading, base, alt in rows:
        print(f"{reading}: {base.name} = {format_value(alt.value, alt.type)} ({alt.citation}),"
              f" default {format_value(base.value, base.type)} ({base.citation})")
    return EXIT_OK


def cmd_explain(args) -> int:
    paths, names = _split_targets(args.targets, want=1, usage="explain DEAL --facts F NAME")
    model, facts = load_version(paths, args.facts, args.as_of)
    term = _locate(model, names[0], paths, args.as_of)
    _require_facts(model, facts, [term])
    derivation = Evaluator(model, facts, args.as_of, readings=model.choose_readings(args.reading or [])).derive(*term)
    if args.json:
        print(json.dumps(json_derivation(derivation), indent=2, ensure_ascii=False))
    else:
        print(f"as of {args.as_of}")
        print("\n".join(explain_lines(derivation)))
    return EXIT_OK


def cmd_needs(args) -> int:
    paths, names = _split_targets(args.targets, want=1, usage="needs DEAL NAME")
    model, facts = load_version(paths, args.facts, args.as_of)
    agreement, name = _locate(model, names[0], paths, args.as_of)
    deciding = model.inputs_deciding(node_id(agreement, name))
    blocking: list[str] = []
    if args.facts:
        blocking = Evaluator(model, facts, args.as_of).derive(agreement, name).needs
    rows = []
    for node in deciding:
        data = model.graph.nodes[node]
        decl = model.scopes[data["agreement"]].inputs[data["name"]]
        rows.append({"input": node, "type": data["type"], "optional": decl.optional,
                     "description": decl.description,
                     "given": facts.has(data["agreement"], data["name"]) if args.facts else None,
                     "blocking": data["name"] in blocking})
    if args.json:
        print(json.dumps({"name": f"{agreement}.{name}", "inputs": rows}, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"{agreement}.{name} can be decided by {len(rows)} fact{'s' if len(rows) != 1 else ''}:")
    for row in rows:
        mark = ""
        if args.facts:
            mark = "  [needed now]" if row["blocking"] else ("  [given]" if row["given"] else "  [not given]")
        print(f"  {row['input']}: {row['type']}{' (optional)' if row['optional'] else ''}"
              f" — {row['description']}{mark}")
    return EXIT_OK


def cmd_ask(args) -> int:
    paths, words = _split_targets(args.targets)
    model, facts = load_version(paths, args.facts, args.as_of)
    if args.action and words:
        raise UsageProblem("give the action either as a file (--action) or on the command line, not both")
    if args.action:
        node, _ = read_yaml_file(args.action)
        kind, particulars = read_action(node, args.action, model)
    elif words:
        kind, particulars = read_action(inline_action(words), "<command line>", model)
    else:
        raise UsageProblem("no action given", hint="use --action ACTION.yaml, or e.g. "
                           "`covenant ask agreements/ --facts f.yaml transfer transferor=investor ...`")
    norms = [(s.id, n) for s in model.scopes.values() if in_force(model.deal, s.id, args.as_of)
             for n, norm in s.norms.items() if norm.action == kind]
    _require_facts(model, facts, norms)
    verdict = decide(Evaluator(model, facts, args.as_of, (kind, particulars),
                               readings=model.choose_readings(args.reading or [])), kind)
    if args.json:
        print(json.dumps(json_verdict(verdict), indent=2, ensure_ascii=False))
    else:
        print("\n".join(verdict_lines(verdict, args.as_of)))
    return EXIT_FINDINGS if verdict.status == "prohibited" else EXIT_OK


def cmd_coverage(args) -> int:
    from interpreter.reports.coverage import coverage

    rows = coverage(_model(args.paths))
    if args.json:
        print(json.dumps([{"agreement": r.agreement, "section": r.number, "title": r.title,
                           "status": r.status, "names": list(r.names), "note": r.note} for r in rows],
                         indent=2, ensure_ascii=False))
    else:
        current = None
        for r in rows:
            if r.agreement != current:
                current = r.agreement
                print(current)
            detail = ", ".join(r.names) if r.names else (r.note or "")
            print(f"  § {r.number:<8} {r.title[:40]:<40} {r.status:<12} {detail}")
        counts = {s: sum(r.status == s for r in rows)
                  for s in ("encoded", "boilerplate", "not_encoded", "empty", "missing")}
        unread = sum(r.status == "unclassified" for r in rows)
        print(f"{len(rows) - unread} sections: " + ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items())
              + (f"; {unread} heading{'s' if unread != 1 else ''} of the source text could not be classified"
                 " (missing sections among them would not be seen)" if unread else ""))
    return EXIT_FINDINGS if any(r.status in ("empty", "missing") for r in rows) else EXIT_OK


def cmd_diff(args) -> int:
    from interpreter.reports import diff, diff_report
    from interpreter.versions.in_force import known_inputs, load_side

    paths, names = _split_targets(args.targets)
    if len(names) != 2:
        raise UsageProblem("diff takes two versions: OLD NEW",
                           hint="e.g. `covenant diff agreements/ shareholders_1999 shareholders_2001`, "
                                "or `indenture_1997@2001-10-25 indenture_1997@2001-10-27`")
    deal, written, _ = checked_deal(paths)
    fact_files = [(f, read_yaml_file(f)[0]) for f in args.facts or []]
    first_node, first_file = (fact_files[0][1], fact_files[0][0]) if fact_files else (None, "<no facts>")
    known = known_inputs(deal, written)
    deciding = read_facts(first_node, first_file, written, tolerated=known)
    old, new = (load_side(deal, written, spec, deciding, args.as_of) for spec in names)
    edits = diff.structural(old, new)
    impact = diff.impact(edits, new)
    behaviour = None
    if fact_files:
        behaviour = diff.behaviour(old, new, [(f, read_facts(n, f, old.model, tolerated=known),
                                                read_facts(n, f, new.model, tolerated=known))
                                               for f, n in fact_files])
    if args.json:
        print(json.dumps(diff_report.as_json(old.label, new.label, edits, impact, behaviour),
                         indent=2, ensure_ascii=False, default=str))
    elif args.format == "markdown":
        print(diff_report.markdown(old.label, new.label, edits, impact, behaviour))
    else:
        print(diff_report.text(old.label, new.label, edits, impact, behaviour))
    return EXIT_OK


def cmd_show(args) -> int:
    from interpreter.versions.show import consolidated_text

    paths, names = _split_targets(args.targets)
    if len(names) != 1:
        raise UsageProblem("show takes exactly one AGREEMENT", hint="e.g. `covenant show agreements/ indenture_1997`")
    model, _ = load_version(paths, args.facts, args.as_of)
    if names[0] not in model.scopes:
        raise UsageProblem(f"no agreement `{names[0]}` in force on {args.as_of}",
                           hint=suggest(names[0], model.scopes) or f"in force then: {', '.join(model.scopes)}")
    print(consolidated_text(model.scopes[names[0]].agreement, model.deal.sources, args.as_of), end="")
    return EXIT_OK


def cmd_timeline(args) -> int:
    """`covenant timeline`: every dated item of the deal, text, JSON and iCalendar."""
    from interpreter.reports import timeline_ics, timeline_render
    from interpreter.reports.timeline import build_timeline
    from interpreter.static.cache import version_compiler
    from interpreter.versions.in_force import known_inputs

    if args.start and args.end and args.start > args.end:
        raise UsageProblem(f"--from {args.start} is after --to {args.end}", hint="give the earlier date to --from")
    deal, written, key = checked_deal(args.paths)
    # Layered fact files are not merged yet: the first file given is read.
    facts_file = args.facts[0] if args.facts else None
    node = read_yaml_file(facts_file)[0] if facts_file else None
    known = known_inputs(deal, written)
    timeline = build_timeline(
        written, lambda model: read_facts(node, facts_file or "<no facts>", model, tolerated=known),
        args.as_of, args.start, args.end, readings=written.choose_readings(args.reading or []),
        compile=version_compiler(key))
    if args.ics:
        timeline_ics.write(args.ics, timeline, {aid: a.title for aid, a in deal.agreements.items()})
    if args.json:
        print(json.dumps(timeline_render.as_json(timeline), indent=2, ensure_ascii=False))
    else:
        print(timeline_render.text(timeline))
    return EXIT_OK


def cmd_graph(args) -> int:
    from interpreter.reports import graph_export
    from interpreter.static.graph import focus

    model = _model(args.paths)
    graph = model.graph
    if args.focus:
        graph = focus(graph, node_id(*model.locate(args.focus)))
    print(graph_export.render(graph, args.format))
    return EXIT_OK


def cmd_repl(args) -> int:
    """`covenant repl`: a session on the deal and facts given (see interpreter/repl/)."""
    from interpreter.repl import run_repl

    return run_repl(args.paths, args.facts, args.as_of)
