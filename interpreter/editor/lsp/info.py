"""What the server tells about a deal: hovers (type, citation, description, the
section's source text, the value for the facts chosen), completions, the outline of
a file, and the values of its terms."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dsl import ast
from dsl.errors import CovenantError
from interpreter.editor import keywords as kw
from interpreter.editor.lsp.deal import Deal, Document
from interpreter.editor.lsp.names import Declaration, declarations

_SOURCE_LINES = 30  # of a section's source text shown in a hover


def type_text(typ) -> str:
    if isinstance(typ, ast.ListType):
        return f"list of {type_text(typ.element)}"
    return getattr(typ, "name", "?")


def _citations(node) -> list[str]:
    if isinstance(node, ast.Definition):
        return [str(c) for c in node.citations]
    citation = getattr(node, "citation", None)
    return [str(citation)] if citation is not None else []


def _summary(decl: Declaration) -> tuple[str, str | None]:
    """(`name: type` line, the description) of a declaration."""
    node = decl.node
    if isinstance(node, ast.InputDecl):
        default = " optional" if node.optional else (" (has a default)" if node.default is not None else "")
        return f"input {decl.name}: {type_text(node.type)}{default}", node.description
    if isinstance(node, ast.Definition):
        return f"{decl.name}: {type_text(node.type)}", None
    if isinstance(node, ast.Obligation):
        return f"obligation {decl.name}: {node.party} must", node.action
    if isinstance(node, ast.Norm):
        return f"{node.kind} {decl.name}: {node.action}", f"by {node.body}" if node.body else None
    if isinstance(node, ast.Reading):
        return f"reading {decl.name} of {node.target}", node.description
    if isinstance(node, ast.FieldDecl):
        return f"field {decl.name}: {type_text(node.type)}{' optional' if node.optional else ''}", None
    if isinstance(node, ast.TypeDecl):
        if decl.kind == "member":
            return f"{decl.name}: member of {node.name}", None
        body = node.body
        inside = ", ".join(body.members) if isinstance(body, ast.EnumDecl) else ", ".join(
            f"{f.name}: {type_text(f.type)}" for f in body.fields)
        return f"type {decl.name} = {'enum' if isinstance(body, ast.EnumDecl) else 'record'} {{ {inside} }}", None
    if isinstance(node, ast.ActionDecl):
        return f"action {decl.name}", node.description
    if isinstance(node, ast.Party):
        return f"{decl.kind} {decl.name}", node.description
    if isinstance(node, ast.Agreement):
        return f"agreement {decl.name}", node.title
    return f"{decl.kind} {decl.name}", None


def _section_of(deal: Deal, decl: Declaration) -> ast.Section | None:
    agreement = deal.agreements().get(decl.agreement)
    number = getattr(decl.node, "section", None)
    if agreement is None:
        return None
    if number is None:  # an input or a type: the heading above it, if any
        above = [s for s in agreement.sections if s.span.start < decl.word.start]
        return above[-1] if above else None
    return next((s for s in agreement.sections if s.number == number), None)


def source_passage(deal: Deal, decl: Declaration) -> str | None:
    """The agreement's own words for the declaration's section (its first citation,
    or the section it stands in), found in the header's `source` text."""
    from interpreter.repl.sections import find_in_source, source_path

    agreement = deal.agreements().get(decl.agreement)
    path = source_path(agreement) if agreement is not None else None
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    section = _section_of(deal, decl)
    numbers = [c.lstrip("§ ").split(",")[0] for c in _citations(decl.node)]
    numbers += [section.number] if section else []
    for number in numbers:
        passage = find_in_source(text, number)
        if passage:
            lines = passage.split("\n")
            return "\n".join(lines[:_SOURCE_LINES]) + ("\n…" if len(lines) > _SOURCE_LINES else "")
    return None


def hover(deal: Deal, decl: Declaration, value: str | None = None) -> str:
    """Markdown: what the name is, its citation, its description, its value, and the
    source text of its section."""
    head, description = _summary(decl)
    out = [f"```covenant\n{head}\n```", f"*{decl.kind}* of `{decl.agreement}`"]
    citations = _citations(decl.node)
    section = _section_of(deal, decl)
    if citations:
        out.append("cites " + "; ".join(dict.fromkeys(citations)))
    if section is not None:
        out.append(f'in § {section.number} "{section.title}"')
    if description:
        out.append(description)
    if value is not None:
        out.append(f"**value**: {value}")
    passage = source_passage(deal, decl)
    if passage:
        out.append("---\n```text\n" + passage + "\n```")
    return "\n\n".join(out)


@dataclass(frozen=True)
class Completion:
    label: str
    kind: str     # the declaration kind, "keyword", "function" or "type"
    detail: str


def completions(deal: Deal, document: Document, line: int, column: int) -> list[Completion]:
    """What may be typed at the cursor: after `agreement.` its names, after `x.` the
    fields of records and actions, else names, members, types, functions, keywords."""
    text_line = document.text.split("\n")[line][:column] if line < document.text.count("\n") + 1 else ""
    dotted = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*[A-Za-z0-9_]*$", text_line)
    every = declarations(deal)
    here = document.agreement.id if document.agreement else None
    if dotted:
        qualifier = dotted.group(1)
        if qualifier in deal.agreements():
            return [Completion(d.name, d.kind, _summary(d)[0]) for d in every
                    if d.agreement == qualifier and d.kind in ("input", "term", "obligation", "norm")]
        return list({d.name: Completion(d.name, "field", _summary(d)[0]) for d in every
                     if d.kind == "field" and d.agreement == here}.values())
    related = {here} | {a.amends or a.restates for a in deal.agreements().values() if a.id == here}
    out = {d.name: Completion(d.name, d.kind, _summary(d)[0]) for d in every
           if d.agreement in related and d.kind not in ("field", "agreement")}
    for agreement in deal.agreements():
        out.setdefault(agreement, Completion(agreement, "agreement", "agreement"))
    for name in ("as_of", "date_hereof"):
        out.setdefault(name, Completion(name, "input", f"{name}: date"))
    for name in kw.builtin_functions():
        out.setdefault(name, Completion(name, "function", f"{name}(…)"))
    for name in kw.builtin_types():
        out.setdefault(name, Completion(name, "type", "built-in type"))
    for word in sorted(kw.grammar_keywords()):
        out.setdefault(word, Completion(word, "keyword", "keyword"))
    return sorted(out.values(), key=lambda c: c.label)


@dataclass
class Symbol:
    """An entry of a file's outline: a section heading with the declarations under it."""

    name: str
    kind: str
    detail: str
    node: object
    word_start: int
    word_end: int
    children: list[Symbol]


def outline(deal: Deal, document: Document) -> list[Symbol]:
    """The sections of a file and the declarations in each, in order."""
    agreement = document.agreement
    if agreement is None:
        return []
    items = [Symbol(d.name, d.kind, _summary(d)[0], d.node, d.word.start, d.word.end, [])
             for d in declarations(deal) if d.document is document and d.kind not in ("member", "field")]
    for section in agreement.sections:
        cut = section.span.start + len(section.number) + 2
        items.append(Symbol(f"§ {section.number} {section.title}", "section", section.status, section,
                            section.span.start, cut, []))
    top: list[Symbol] = []
    current: Symbol | None = None
    for item in sorted(items, key=lambda s: s.word_start):
        if item.kind == "section":
            current = item
            top.append(item)
        elif current is not None and item.kind != "agreement":
            current.children.append(item)
        else:
            top.append(item)
    return top


def values(folder: str, facts: str, as_of: dt.date, agreement: str) -> dict[str, str]:
    """Each term and obligation of `agreement` as evaluated from the saved files of the
    deal and the fact file, as of the date; a term that cannot be evaluated says why."""
    from interpreter.evaluation.evaluator import Evaluator
    from interpreter.reports.output import format_value
    from interpreter.versions.in_force import load_version

    model, fact_base = load_version([folder], [facts], as_of)
    scope = model.scopes.get(agreement)
    if scope is None:
        return {}
    evaluator = Evaluator(model, fact_base, as_of)
    out = {}
    for name in (*scope.definitions, *scope.obligations):
        try:
            derivation = evaluator.derive(agreement, name)
            out[name] = format_value(derivation.value, derivation.type)
        except CovenantError as problem:
            out[name] = f"cannot be evaluated: {problem.message}"
    return out
