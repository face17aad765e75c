"""What each `covenant` command does, given its parsed arguments; `cli` parses them."""
from __future__ import annotations

import json
import sys

from dsl.errors import Findings, UsageProblem, render
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import read_facts, read_yaml_file
from interpreter.evaluation.norms import decide, inline_action, read_action
from interpreter.reports.output import (json_verdict,
                                        verdict_lines)
from interpreter.static.cache import checked_deal
from interpreter.static.graph import node_id
from interpreter.static.model import Model
from interpreter.static.scope import suggest
from interpreter.versions.in_force import load_version
from interpreter.cli.targets import EXIT_FINDINGS, EXIT_OK, split_targets

# What only one command uses (diffs, reports, the graph's drawing, the REPL and with
# them networkx and prompt_toolkit) is imported by that command, so that `eval`
# starts quickly.





def _model(paths: list[str]) -> Model:
    return checked_deal(paths)[1]








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










def cmd_ask(args) -> int:
    paths, words = split_targets(args.targets)
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
    from interpreter.reports import diff
    from interpreter.versions.in_force import known_inputs, load_side

    paths, names = split_targets(args.targets)
    if not names and len(paths) == 2:
        return _diff_paths(args, paths)
    if len(names) != 2:
        raise UsageProblem("diff takes two versions: OLD NEW, or two files or folders: OLD.cov NEW.cov",
                           hint="e.g. `covenant diff agreements/ shareholders_1999 shareholders_2001`, "
                                "`indenture_1997@2001-10-25 indenture_1997@2001-10-27`, or `draft.cov signed.cov`")
    deal, written, _ = checked_deal(paths)
    fact_files = [(f, read_yaml_file(f)[0]) for f in args.facts or []]
    first_node, first_file = (fact_files[0][1], fact_files[0][0]) if fact_files else (None, "<no facts>")
    known = known_inputs(deal, written)
    deciding = read_facts(first_node, first_file, written, tolerated=known)
    old, new = (load_side(deal, written, spec, deciding, args.as_of) for spec in names)
    behaviour = None
    if fact_files:
        behaviour = diff.behaviour(old, new, [(f, read_facts(n, f, old.model, tolerated=known),
                                                read_facts(n, f, new.model, tolerated=known))
                                               for f, n in fact_files])
    return _print_diff(args, [(old, new, behaviour)])


def _diff_paths(args, paths: list[str]) -> int:
    """Two files (or folders) compared agreement by agreement, even when both declare
    the same id: a draft against the signed text."""
    from interpreter.reports import diff
    from interpreter.reports.diff import Side
    from interpreter.static.deal import cov_files
    from interpreter.versions.in_force import known_inputs

    sides = []
    for path in paths:
        deal, model, _ = checked_deal([path])
        named = {str(f) for f in cov_files([path])}
        sides.append((path, deal, model, [a for a in deal.agreements.values() if a.path in named]))
    (old_path, old_deal, old_model, olds), (new_path, new_deal, new_model, news) = sides
    if len(olds) == 1 and len(news) == 1:
        pairs = [(olds[0], news[0])]
    else:
        by_id = {a.id: a for a in news}
        pairs = [(a, by_id[a.id]) for a in olds if a.id in by_id]
        unmatched = sorted({a.id for a in olds} ^ {a.id for a in news})
        for aid in unmatched:
            print(f"note: {aid} is only in {old_path if any(a.id == aid for a in olds) else new_path}",
                  file=sys.stderr)
    fact_files = [(f, read_yaml_file(f)[0]) for f in args.facts or []]
    compared = []
    for old_agreement, new_agreement in pairs:
        old = Side(f"{old_path}:{old_agreement.id}", old_agreement, old_model, args.as_of, old_deal.sources)
        new = Side(f"{new_path}:{new_agreement.id}", new_agreement, new_model, args.as_of, new_deal.sources)
        behaviour = None
        if fact_files:
            behaviour = diff.behaviour(old, new, [
                (f, read_facts(n, f, old_model, tolerated=known_inputs(old_deal, old_model)),
                 read_facts(n, f, new_model, tolerated=known_inputs(new_deal, new_model))) for f, n in fact_files])
        compared.append((old, new, behaviour))
    return _print_diff(args, compared)


def _print_diff(args, compared) -> int:
    """Each compared pair as text, markdown or JSON, with the notes on its versions."""
    from interpreter.reports import diff, diff_report

    reports = []
    for old, new, behaviour in compared:
        edits = diff.structural(old, new)
        impact = diff.impact(edits, new)
        notes = list(dict.fromkeys((*old.notes, *new.notes)))
        if args.json:
            reports.append({**diff_report.as_json(old.label, new.label, edits, impact, behaviour), "notes": notes})
        else:
            render_as = diff_report.markdown if args.format == "markdown" else diff_report.text
            reports.append("\n".join([*(f"note: {n}" for n in notes),
                                      render_as(old.label, new.label, edits, impact, behaviour)]))
    if args.json:
        print(json.dumps(reports[0] if len(reports) == 1 else reports, indent=2, ensure_ascii=False, default=str))
    else:
        print("\n\n".join(reports))
    return EXIT_OK


def cmd_show(args) -> int:
    from interpreter.versions.show import consolidated_text

    paths, names = split_targets(args.targets)
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
    from interpreter.evaluation.facts import read_layers
    from interpreter.static.deal import UnloadedInputs
    from interpreter.versions.in_force import known_inputs, read_fact_files

    if args.start and args.end and args.start > args.end:
        raise UsageProblem(f"--from {args.start} is after --to {args.end}", hint="give the earlier date to --from")
    deal, written, key = checked_deal(args.paths)
    layers, known, elsewhere = read_fact_files(args.facts), known_inputs(deal, written), UnloadedInputs(deal)
    timeline = build_timeline(
        written, lambda model: read_layers(layers, model, known, elsewhere),
        args.as_of, args.start, args.end, readings=written.choose_readings(args.reading or []),
        compile=version_compiler(key))
    if args.ics:
        timeline_ics.write(args.ics, timeline, {aid: a.title for aid, a in deal.agreements.items()})
    if args.json:
        print(json.dumps(timeline_render.as_json(timeline), indent=2, ensure_ascii=False))
    else:
        print(timeline_render.text(timeline))
    for problem in timeline.problems:  # the other items still answer
        print(render(problem), file=sys.stderr)
    return EXIT_FINDINGS if timeline.problems else EXIT_OK


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
