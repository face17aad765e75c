"""What a word of a deal names, where that is declared, and every place it is used:
for go to definition, find references and rename. Read from the parsed agreements
(the declarations and their spans) and the words of each text."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from dsl import ast
from interpreter.editor.lsp.deal import Deal, Document, Word

# Kinds of declarations that a rename may change (the names a deal's author chose).
RENAMEABLE = {"input", "term", "obligation", "norm", "type", "action", "reading", "party", "body", "member"}
_KINDS = {ast.InputDecl: "input", ast.Definition: "term", ast.Obligation: "obligation", ast.Norm: "norm",
          ast.TypeDecl: "type", ast.ActionDecl: "action", ast.Reading: "reading"}


@dataclass(frozen=True)
class Declaration:
    """A declared name: its kind (input, term, obligation, norm, type, action, reading,
    party, body, member, field, agreement), the agreement it belongs to, its node, and
    the word that declares it."""

    name: str
    kind: str
    agreement: str
    node: object
    document: Document
    word: Word


def walk(node) -> Iterator[object]:
    """Every AST node under `node` (itself included), in field order."""
    if isinstance(node, (list, tuple)):
        for item in node:
            yield from walk(item)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        yield node
        for f in dataclasses.fields(node):
            if f.compare or f.name == "span":
                value = getattr(node, f.name)
                if isinstance(value, (list, tuple)) or dataclasses.is_dataclass(value):
                    yield from walk(value)


def _word_in(document: Document, span, name: str) -> Word | None:
    return next((w for w in document.by_text.get(name, ())
                 if span.start <= w.start and w.end <= span.end), None)


def declarations(deal: Deal) -> list[Declaration]:
    """Every name the deal declares, with where it is written (computed once for each
    state of the deal's texts)."""
    key = tuple((path, id(document)) for path, document in deal.documents.items())
    cached = getattr(deal, "_declarations", None)
    if cached is None or cached[0] != key:
        deal._declarations = cached = (key, _declarations(deal))
    return cached[1]


def _declarations(deal: Deal) -> list[Declaration]:
    out: list[Declaration] = []
    for document in deal.documents.values():
        agreement = document.agreement
        if agreement is None:
            continue

        def add(name, kind, node, span, document=document, agreement=agreement):
            word = _word_in(document, span, name)
            if word is not None:
                out.append(Declaration(name, kind, agreement.id, node, document, word))

        add(agreement.id, "agreement", agreement, agreement.span)
        for party in agreement.parties:
            add(party.name, "party", party, party.span)
        for body in agreement.bodies:
            add(body.name, "body", body, body.span)
        patched = [item for patch in agreement.patches for item in patch.items]
        for decl in (*agreement.inputs, *agreement.types, *agreement.definitions, *agreement.obligations,
                     *agreement.actions, *agreement.norms, *agreement.readings, *patched):
            kind = _KINDS.get(type(decl))
            if kind is None:
                continue
            add(decl.name, kind, decl, decl.span)
            body = getattr(decl, "body", None)
            if isinstance(body, ast.EnumDecl):
                for member in body.members:
                    add(member, "member", decl, decl.span)
            fields = body.fields if isinstance(body, ast.RecordDecl) else getattr(decl, "fields", ())
            for field in fields:
                add(field.name, "field", field, field.span)
    return out


def _related(deal: Deal, agreement_id: str) -> set[str]:
    """The agreement and those that amend or restate it (their text speaks of its names)."""
    return {agreement_id} | {a.id for a in deal.agreements().values() if agreement_id in (a.amends, a.restates)}


def _bound(document: Document, name: str) -> list[tuple[int, int]]:
    """Where `name` is a comprehension's variable rather than a declared name."""
    if document.agreement is None:
        return []
    return [(node.span.start, node.span.end) for node in walk(document.agreement)
            if isinstance(node, ast.Comprehension) and node.variable == name]


def find(deal: Deal, document: Document, word: Word) -> Declaration | None:
    """The declaration a word refers to (or is)."""
    every = declarations(deal)
    for decl in every:
        if decl.document is document and decl.word == word:
            return decl
    here = document.agreement.id if document.agreement else None
    if word.qualifier is not None and word.qualifier in deal.agreements():
        return next((d for d in every if d.agreement == word.qualifier and d.name == word.text
                     and d.kind not in ("field", "agreement")), None)
    if word.dotted:
        fields = [d for d in every if d.kind == "field" and d.name == word.text]
        return next((d for d in fields if d.agreement == here), fields[0] if fields else None)
    if any(start <= word.start < end for start, end in _bound(document, word.text)):
        return None
    lookup = [here] + sorted(a.amends or a.restates for a in deal.agreements().values()
                             if a.id == here and (a.amends or a.restates))
    for agreement in lookup:
        found = next((d for d in every if d.agreement == agreement and d.name == word.text
                      and d.kind not in ("field", "agreement")), None)
        if found is not None:
            return found
    return next((d for d in every if d.kind == "agreement" and d.name == word.text), None)


def references(deal: Deal, decl: Declaration) -> list[tuple[Document, Word]]:
    """Every place the declaration's name is written meaning it, the declaration included."""
    every = declarations(deal)
    if decl.kind == "field":
        return [(d.document, d.word) for d in every if d.kind == "field" and d.name == decl.name] + [
            (document, w) for document in deal.documents.values() for w in document.by_text.get(decl.name, ())
            if w.dotted and w.qualifier not in deal.agreements()]
    if decl.kind == "agreement":
        return [(document, w) for document in deal.documents.values() for w in document.by_text.get(decl.name, ())
                if not w.dotted]
    fields = {(d.document.path, d.word.start) for d in every if d.kind == "field"}
    related = _related(deal, decl.agreement)
    out = []
    for document in deal.documents.values():
        agreement = document.agreement
        if agreement is None:
            continue
        bound = _bound(document, decl.name)
        for w in document.by_text.get(decl.name, ()):
            if (document.path, w.start) in fields:
                continue
            if w.qualifier == decl.agreement or (
                    agreement.id in related and not w.dotted and not any(s <= w.start < e for s, e in bound)):
                out.append((document, w))
    return out
