"""The language server over stdio (pygls): diagnostics as the text changes, hover,
go to definition, references, completion, the outline, values as code lenses,
rename and formatting. The deal of a file is every `.cov` file of its folder.

Settings (initialization options, or `workspace/didChangeConfiguration` under
`covenant`): `facts`, a fact file whose values hovers and code lenses show, and
`asOf`, the date they are evaluated on (default: today)."""
from __future__ import annotations

import datetime as dt
import logging
import re
import sys
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from dsl.errors import CovenantError, Span
from dsl.limits import LSP_MESSAGE_BYTES
from interpreter.editor import keywords as kw
from interpreter.editor.lsp import info, names
from interpreter.editor.lsp.deal import Deal, Document, Word

_COMPLETION_KINDS = {
    "input": lsp.CompletionItemKind.Variable, "term": lsp.CompletionItemKind.Field,
    "obligation": lsp.CompletionItemKind.Event, "norm": lsp.CompletionItemKind.Interface,
    "type": lsp.CompletionItemKind.Class, "action": lsp.CompletionItemKind.Struct,
    "member": lsp.CompletionItemKind.EnumMember, "field": lsp.CompletionItemKind.Property,
    "party": lsp.CompletionItemKind.Constant, "body": lsp.CompletionItemKind.Constant,
    "agreement": lsp.CompletionItemKind.Module, "reading": lsp.CompletionItemKind.Value,
    "function": lsp.CompletionItemKind.Function, "keyword": lsp.CompletionItemKind.Keyword,
}
_SYMBOL_KINDS = {
    "section": lsp.SymbolKind.Namespace, "input": lsp.SymbolKind.Variable, "term": lsp.SymbolKind.Field,
    "obligation": lsp.SymbolKind.Event, "norm": lsp.SymbolKind.Interface, "type": lsp.SymbolKind.Class,
    "action": lsp.SymbolKind.Struct, "reading": lsp.SymbolKind.Property, "party": lsp.SymbolKind.Constant,
    "body": lsp.SymbolKind.Constant, "agreement": lsp.SymbolKind.Module,
}


class CovenantServer(LanguageServer):
    """The server's state: the deals of the folders being edited, and the settings."""

    def __init__(self):
        from interpreter import __version__

        super().__init__("covenant", __version__)
        self.deals: dict[Path, Deal] = {}
        self.facts: str | None = None
        self.as_of: dt.date | None = None

    # ---- the deal of a document --------------------------------------------
    def open_texts(self) -> dict[str, str]:
        return {str(Path(to_fs_path(uri)).resolve()): doc.source
                for uri, doc in self.workspace.text_documents.items() if to_fs_path(uri)}

    def deal_of(self, uri: str) -> tuple[Deal, Document]:
        path = Path(to_fs_path(uri)).resolve()
        deal = self.deals.get(path.parent)
        if deal is None:
            deal = self.deals[path.parent] = Deal(path.parent)
            deal.load(self.open_texts())
        text = self.workspace.get_text_document(uri).source
        return deal, deal.update(str(path), text)

    def configure(self, settings) -> None:
        settings = settings or {}
        settings = settings.get("covenant", settings) if isinstance(settings, dict) else {}
        facts, as_of = settings.get("facts") or None, settings.get("asOf") or None
        if facts and not Path(facts).is_absolute() and self.workspace.root_path:
            facts = str(Path(self.workspace.root_path) / facts)
        self.facts = facts
        self.as_of = dt.date.fromisoformat(as_of) if as_of and re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of) else None

    def values(self, deal: Deal, document: Document) -> dict[str, str] | str:
        """The values of the document's terms for the facts in the settings (or the
        message that says why there are none)."""
        if not self.facts or document.agreement is None:
            return {}
        try:
            return info.values(str(deal.folder), self.facts, self.as_of or dt.date.today(), document.agreement.id)
        except CovenantError as problem:
            return f"no values: {problem.message}"

    def publish(self, deal: Deal) -> None:
        """Every `check` error and warning of the deal, each on its file."""
        errors, warnings = deal.problems()
        found: dict[str, list[lsp.Diagnostic]] = {path: [] for path in deal.documents}
        for severity, problems in ((lsp.DiagnosticSeverity.Error, errors), (lsp.DiagnosticSeverity.Warning, warnings)):
            for problem in problems:
                span = problem.span
                path = str(Path(span.file).resolve()) if span else next(iter(found), "")
                found.setdefault(path, []).append(_diagnostic(problem, severity, deal.documents.get(path)))
        for path, diagnostics in found.items():
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=from_fs_path(path), diagnostics=diagnostics))


def _diagnostic(problem: CovenantError, severity, document: Document | None) -> lsp.Diagnostic:
    message = problem.message + "".join(f"\nnote: {n}" for n in problem.notes)
    if problem.hint:
        message += f"\nhint: {problem.hint}"
    return lsp.Diagnostic(range=_span_range(problem.span, document), message=message, severity=severity,
                          source="covenant")


def _span_range(span: Span | None, document: Document | None) -> lsp.Range:
    if span is None or span.line < 1:
        return lsp.Range(lsp.Position(0, 0), lsp.Position(0, 1))
    start = lsp.Position(span.line - 1, max(span.column - 1, 0))
    end = lsp.Position(span.end_line - 1, max(span.end_column - 1, 0))
    if (end.line, end.character) <= (start.line, start.character):
        word = document.word_at(start.line, start.character) if document else None
        end = lsp.Position(start.line, word.column + len(word.text) if word else start.character + 1)
    return lsp.Range(start, end)


def _range(word: Word) -> lsp.Range:
    return lsp.Range(lsp.Position(word.line, word.column), lsp.Position(word.line, word.column + len(word.text)))


def _location(document: Document, word: Word) -> lsp.Location:
    return lsp.Location(uri=from_fs_path(document.path), range=_range(word))


def _offset_position(document: Document, offset: int) -> lsp.Position:
    line = document.text.count("\n", 0, offset)
    return lsp.Position(line, offset - (document.text.rfind("\n", 0, offset) + 1))


server = CovenantServer()


@server.feature(lsp.INITIALIZE)
def _initialize(ls: CovenantServer, params: lsp.InitializeParams):
    ls.configure(params.initialization_options)


@server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
def _configuration(ls: CovenantServer, params: lsp.DidChangeConfigurationParams):
    ls.configure(params.settings)


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def _changed(ls: CovenantServer, params):
    deal, _ = ls.deal_of(params.text_document.uri)
    ls.publish(deal)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def _hover(ls: CovenantServer, params: lsp.HoverParams):
    deal, document = ls.deal_of(params.text_document.uri)
    word = document.word_at(params.position.line, params.position.character)
    decl = names.find(deal, document, word) if word else None
    if decl is None:
        return None
    values = ls.values(deal, deal.document_of(decl.agreement) or document)
    value = values.get(decl.name) if isinstance(values, dict) else values
    text = info.hover(deal, decl, value)
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text), range=_range(word))


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def _definition(ls: CovenantServer, params: lsp.DefinitionParams):
    deal, document = ls.deal_of(params.text_document.uri)
    word = document.word_at(params.position.line, params.position.character)
    decl = names.find(deal, document, word) if word else None
    return _location(decl.document, decl.word) if decl else None


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def _references(ls: CovenantServer, params: lsp.ReferenceParams):
    deal, document = ls.deal_of(params.text_document.uri)
    word = document.word_at(params.position.line, params.position.character)
    decl = names.find(deal, document, word) if word else None
    if decl is None:
        return []
    found = names.references(deal, decl)
    if not params.context.include_declaration:
        found = [(d, w) for d, w in found if not (d is decl.document and w == decl.word)]
    return [_location(d, w) for d, w in found]


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["."]))
def _completion(ls: CovenantServer, params: lsp.CompletionParams):
    deal, document = ls.deal_of(params.text_document.uri)
    items = info.completions(deal, document, params.position.line, params.position.character)
    return lsp.CompletionList(is_incomplete=False, items=[
        lsp.CompletionItem(label=c.label, kind=_COMPLETION_KINDS.get(c.kind), detail=c.detail) for c in items])


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def _symbols(ls: CovenantServer, params: lsp.DocumentSymbolParams):
    deal, document = ls.deal_of(params.text_document.uri)

    def convert(symbol: info.Symbol) -> lsp.DocumentSymbol:
        children = [convert(c) for c in symbol.children]
        span = symbol.node.span
        start = _offset_position(document, min(span.start, symbol.word_start))
        end_offset = max([span.end, symbol.word_end] + [document.offset(c.range.end.line, c.range.end.character)
                                                        for c in children])
        selection = lsp.Range(_offset_position(document, symbol.word_start),
                              _offset_position(document, symbol.word_end))
        return lsp.DocumentSymbol(name=symbol.name, kind=_SYMBOL_KINDS.get(symbol.kind, lsp.SymbolKind.Object),
                                  detail=symbol.detail, range=lsp.Range(start, _offset_position(document, end_offset)),
                                  selection_range=selection, children=children)

    return [convert(s) for s in info.outline(deal, document)]


@server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)
def _code_lens(ls: CovenantServer, params: lsp.CodeLensParams):
    deal, document = ls.deal_of(params.text_document.uri)
    values = ls.values(deal, document)
    if isinstance(values, str):
        top = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
        return [lsp.CodeLens(range=top, command=lsp.Command(title=values, command=""))]
    lenses = []
    for decl in names.declarations(deal):
        if decl.document is document and decl.name in values and decl.kind in ("term", "obligation"):
            lenses.append(lsp.CodeLens(range=_range(decl.word),
                                       command=lsp.Command(title=f"= {values[decl.name]}", command="")))
    return lenses


def _renameable(ls: CovenantServer, uri: str, position: lsp.Position):
    deal, document = ls.deal_of(uri)
    word = document.word_at(position.line, position.character)
    decl = names.find(deal, document, word) if word else None
    return deal, word, (decl if decl is not None and decl.kind in names.RENAMEABLE else None)


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
def _prepare_rename(ls: CovenantServer, params: lsp.PrepareRenameParams):
    _, word, decl = _renameable(ls, params.text_document.uri, params.position)
    return _range(word) if decl else None


@server.feature(lsp.TEXT_DOCUMENT_RENAME)
def _rename(ls: CovenantServer, params: lsp.RenameParams):
    deal, _, decl = _renameable(ls, params.text_document.uri, params.position)
    if decl is None:
        raise JsonRpcInvalidParams("only a name the deal declares can be renamed")
    new = params.new_name
    if not re.fullmatch(kw.NAME, new) or new in kw.grammar_keywords():
        raise JsonRpcInvalidParams(f"`{new}` is not a name (a letter or _, then letters, digits or _; not a keyword)")
    changes: dict[str, list[lsp.TextEdit]] = {}
    for document, found in names.references(deal, decl):
        changes.setdefault(from_fs_path(document.path), []).append(lsp.TextEdit(range=_range(found), new_text=new))
    return lsp.WorkspaceEdit(changes=changes)


@server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
def _formatting(ls: CovenantServer, params: lsp.DocumentFormattingParams):
    from interpreter.editor.fmt import format_text

    text = ls.workspace.get_text_document(params.text_document.uri).source
    try:
        formatted = format_text(text)
    except CovenantError:
        return None  # the diagnostics already say what is wrong
    if formatted == text:
        return []
    end = lsp.Position(text.count("\n") + 1, 0)
    return [lsp.TextEdit(range=lsp.Range(lsp.Position(0, 0), end), new_text=formatted)]


class _OneLine(logging.Formatter):
    """A log record as one line: a message the server could not handle (malformed
    JSON from a client) is reported by what went wrong, never by a Python traceback."""

    def format(self, record: logging.LogRecord) -> str:
        problem = f": {record.exc_info[1]}" if record.exc_info and record.exc_info[1] else ""
        return f"covenant lsp: {record.getMessage()}{problem}"


class _BoundedInput:
    """Standard input as the server reads it: a header line or a message body larger
    than LSP_MESSAGE_BYTES is refused (the server stops, saying why) rather than read
    into memory, whatever length a client's `Content-Length` claims."""

    def __init__(self, stream):
        self.stream = stream

    def readline(self) -> bytes:
        line = self.stream.readline(LSP_MESSAGE_BYTES + 1)
        return self._refused(len(line)) if len(line) > LSP_MESSAGE_BYTES else line

    def read(self, size: int) -> bytes:
        return self._refused(size) if size > LSP_MESSAGE_BYTES else self.stream.read(size)

    def _refused(self, size: int) -> bytes:
        logging.getLogger("pygls").error("a message of %s bytes is beyond the limit of %s; the server stops",
                                         f"{size:,}", f"{LSP_MESSAGE_BYTES:,}")
        return b""  # read as the end of the input


def main() -> int:
    """Serve over standard input and output until the client leaves; the server's log
    goes to standard error, one line a record."""
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLine())
    logging.getLogger("pygls").addHandler(handler)
    logging.getLogger("pygls").propagate = False
    server.start_io(_BoundedInput(sys.stdin.buffer), sys.stdout.buffer)
    return 0
