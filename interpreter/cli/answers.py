"""The commands that answer questions about terms: `eval`, `explain`, `needs`."""
from __future__ import annotations

import json
import sys

from dsl.errors import EvaluationProblem, render
from interpreter.cli.targets import (
    EXIT_FINDINGS,
    EXIT_OK,
    locate,
    split_targets,
    terms_of,
)
from interpreter.evaluation.compiled import CompiledDeal
from interpreter.evaluation.evaluator import Evaluator
from interpreter.reports.output import (
    explain_lines,
    format_value,
    json_derivation,
    json_result,
)
from interpreter.reports.summary import subterm_counts, summary_lines
from interpreter.static.graph import node_id
from interpreter.static.model import Model
from interpreter.versions.in_force import load_version


def warn(*groups) -> None:
    """Print notes and warnings (loaded agreements, facts passed over, contradicted pins) once each."""
    for line in dict.fromkeys(line for group in groups for line in group):
        print(line, file=sys.stderr)


def cmd_eval(args) -> int:
    paths, names = split_targets(args.targets)
    model, facts = load_version(paths, args.facts, args.as_of)
    terms, failures = terms_of(model, names, paths, args.as_of)
    # The compiled back end answers; `explain` shows the derivation of the same answer.
    compiled = CompiledDeal(model, model.choose_readings(args.reading or []))
    env = compiled.env(facts, args.as_of)
    results = []
    for agreement, name in terms:
        try:
            results.append(compiled.result(env, agreement, name))
        except EvaluationProblem as problem:  # the other terms still answer
            failures.append(problem)
    warn(model.deal.added_lines(), (render(w) for w in facts.warnings), (render(w) for w in env.warnings()),
         (render(problem) for problem in failures))
    status = EXIT_FINDINGS if failures else EXIT_OK
    if args.compare_readings:
        return _compare_readings(model, facts, args, results) or status
    if args.json:
        print(json.dumps({d.name: json_result(d) for d in results}, indent=2, ensure_ascii=False))
        return status
    every = bool(names) or args.all
    current = None
    for d in results:
        if not every and d.needs:
            continue  # summarised below
        agreement = d.name.split(".", 1)[0]
        if agreement != current:
            current = agreement
            agr = model.scopes[agreement].agreement
            dated = f", dated {agr.dated}" if agr.dated else ""
            print(f"{agr.title} ({agreement}{dated}), as of {args.as_of}")
        print(f"  {d.name.split('.', 1)[1]} = {_value_text(d)}    {d.citation}")
    if not every:
        print("\n".join(summary_lines(results, model)))
    return status


def _value_text(d) -> str:
    value = format_value(d.value, d.type)
    if d.needs:
        value += f"  (needs {', '.join(d.needs)})"
    if d.given_at:
        value += f"  (given in {d.given_at})"
    return value


def _compare_readings(model: Model, facts, args, results) -> int:
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
    paths, names = split_targets(args.targets, want=1, usage="explain DEAL --facts F NAME")
    model, facts = load_version(paths, args.facts, args.as_of)
    term = locate(model, names[0], paths, args.as_of)
    evaluator = Evaluator(model, facts, args.as_of, readings=model.choose_readings(args.reading or []))
    derivation = evaluator.derive(*term)
    warn(model.deal.added_lines(), (render(w) for w in facts.warnings), (render(w) for w in evaluator.warnings))
    if args.json:
        print(json.dumps(json_derivation(derivation, facts.origins), indent=2, ensure_ascii=False))
    else:
        print(f"as of {args.as_of}")
        print("\n".join(explain_lines(derivation, origins=facts.origins)))
    return EXIT_OK


def cmd_needs(args) -> int:
    """Every fact that can decide a term; with facts, which are given, which take their
    default, and which are needed now — those ranked by how much of the answer each decides."""
    paths, names = split_targets(args.targets, want=1, usage="needs DEAL NAME")
    model, facts = load_version(paths, args.facts, args.as_of)
    agreement, name = locate(model, names[0], paths, args.as_of)
    warn(model.deal.added_lines(), (render(w) for w in facts.warnings))
    derivation = Evaluator(model, facts, args.as_of).derive(agreement, name) if args.facts else None
    counts = subterm_counts(derivation) if derivation is not None else {}
    rows = []
    for node in model.inputs_deciding(node_id(agreement, name)):
        owner, input_name = node.split(".", 1)
        decl = model.scopes[owner].inputs[input_name]
        given = facts.has(owner, input_name)
        state = None
        if args.facts:
            state = ("given" if given else "needed now" if input_name in counts or node in counts
                     else "default" if decl.default is not None else "not needed now")
        rows.append({"input": node, "type": str(model.scopes[owner].declared[input_name]),
                     "optional": decl.optional, "required": not decl.optional and decl.default is None,
                     "description": decl.description, "given": given if args.facts else None,
                     "state": state, "blocking": state == "needed now",
                     "decides": counts.get(input_name, counts.get(node, 0))})
    order = {"needed now": 0, "default": 1, "not needed now": 2, "given": 3, None: 4}
    rows.sort(key=lambda r: (order[r["state"]], -r["decides"], r["input"]))
    if args.json:
        print(json.dumps({"name": f"{agreement}.{name}", "inputs": rows,
                          "pinned": derivation is not None and bool(derivation.given_at)},
                         indent=2, ensure_ascii=False))
        return EXIT_OK
    if derivation is not None and derivation.given_at:
        print(f"{agreement}.{name} is given in {derivation.given_at}: it needs no fact")
        return EXIT_OK
    print(f"{agreement}.{name} can be decided by {len(rows)} fact{'s' if len(rows) != 1 else ''}"
          + (", the facts needed now first:" if args.facts else ":"))
    for row in rows:
        mark = ""
        if row["state"] == "needed now":
            mark = f"  [needed now: decides {row['decides']} step{'s' if row['decides'] != 1 else ''}]"
        elif row["state"] == "default":
            mark = "  [not given: takes its default]"
        elif row["state"]:
            mark = f"  [{row['state']}]"
        kind = " (required)" if row["required"] else " (optional)" if row["optional"] else ""
        print(f"  {row['input']}: {row['type']}{kind} — {row['description']}{mark}")
    return EXIT_OK
