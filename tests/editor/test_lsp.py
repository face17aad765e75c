"""`covenant lsp`, driven over JSON-RPC as an editor drives it."""
from pathlib import Path

import pytest
from pygls.uris import from_fs_path

from tests.editor.lsp_client import Client

LOAN = """\
agreement loan "Loan Agreement"
  dated 2001-01-01
  party lender "the Lender"
  source "loan.txt"

type Kind = enum { term_loan, revolver }
type Payment = record { day: date, amount: money }

input principal: money "the principal amount"
input kind: Kind = term_loan "the kind of loan"
input payments: list of Payment optional "the payments made"

§ 2(a) "Interest"
  rate: percent = if kind == revolver then 5% else 4%                            § 2(a)
  interest: money = principal * rate                                             § 2(a)
  paid: money = sum([p.amount for p in payments])                                § 2(b)
"""

GUARANTEE = """\
agreement guarantee "Guarantee"
  dated 2001-01-01

§ 1 "Guaranteed amount"
  guaranteed: money = loan.interest * 2                                          § 1
"""

SOURCE = """\
LOAN AGREEMENT

2. Interest.

(a) The Borrower shall pay interest at four percent a year on the principal, or five
percent for a revolving loan.

(b) Payments are applied to interest first.
"""


def position(text: str, needle: str, occurrence: int = 0, offset: int = 0) -> dict:
    """The position of the `occurrence`-th `needle` in `text` (plus `offset` characters)."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    at += offset
    line = text.count("\n", 0, at)
    return {"line": line, "character": at - (text.rfind("\n", 0, at) + 1)}


@pytest.fixture(scope="module")
def deal(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deal")
    (folder / "loan.cov").write_text(LOAN, encoding="utf-8")
    (folder / "guarantee.cov").write_text(GUARANTEE, encoding="utf-8")
    (folder / "loan.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "facts.yaml").write_text("principal: 1000000.00\nkind: revolver\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(deal):
    client = Client()
    result = client.request("initialize", {
        "processId": None, "rootUri": from_fs_path(str(deal)), "capabilities": {},
        "initializationOptions": {"covenant": {"facts": "facts.yaml", "asOf": "2002-01-01"}}})
    capabilities = result["capabilities"]
    for wanted in ("hoverProvider", "definitionProvider", "referencesProvider", "completionProvider",
                   "documentSymbolProvider", "renameProvider", "codeLensProvider", "documentFormattingProvider"):
        assert capabilities.get(wanted), wanted
    client.notify("initialized", {})
    yield client
    client.close()


def uri(deal: Path, name: str) -> str:
    return from_fs_path(str(deal / name))


def open_document(server, deal, name, text, version=1):
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(deal, name), "languageId": "covenant", "version": version, "text": text}})
    return server.diagnostics(uri(deal, name))


def change(server, deal, name, text, version):
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri(deal, name), "version": version},
                                             "contentChanges": [{"text": text}]})
    return server.diagnostics(uri(deal, name))


def test_diagnostics_as_you_type(server, deal):
    broken = LOAN.replace("principal * rate", "principal * rat")
    diagnostics = open_document(server, deal, "loan.cov", broken)
    (problem,) = diagnostics
    assert "`rat`" in problem["message"] and "hint:" in problem["message"] and "rate" in problem["message"]
    assert problem["severity"] == 1
    assert problem["range"]["start"] == position(broken, "principal * rat", offset=12)
    syntax = change(server, deal, "loan.cov", LOAN.replace("rate: percent =", "rate: percent"), 2)
    assert syntax and syntax[0]["range"]["start"]["line"] == 13
    assert change(server, deal, "loan.cov", LOAN, 3) == []


def test_warnings_are_diagnostics_too(server, deal):
    unused = LOAN.replace('input payments', 'input unused: count "never used"\ninput payments')
    (warning,) = change(server, deal, "loan.cov", unused, 4)
    assert warning["severity"] == 2 and "unused" in warning["message"]
    assert change(server, deal, "loan.cov", LOAN, 5) == []


def test_hover_shows_type_citation_section_text_and_value(server, deal):
    hover = server.request("textDocument/hover", {"textDocument": {"uri": uri(deal, "loan.cov")},
                                                  "position": position(LOAN, "rate", occurrence=1, offset=1)})
    text = hover["contents"]["value"]
    assert "rate: percent" in text and "§ 2(a)" in text and '"Interest"' in text
    assert "shall pay interest at four percent" in text
    assert "**value**: 5%" in text
    hover = server.request("textDocument/hover", {"textDocument": {"uri": uri(deal, "loan.cov")},
                                                  "position": position(LOAN, "principal *")})
    assert "the principal amount" in hover["contents"]["value"]


def test_definition_and_references_across_the_deal(server, deal):
    open_document(server, deal, "guarantee.cov", GUARANTEE)
    found = server.request("textDocument/definition", {"textDocument": {"uri": uri(deal, "guarantee.cov")},
                                                       "position": position(GUARANTEE, "interest", offset=2)})
    assert found["uri"] == uri(deal, "loan.cov")
    assert found["range"]["start"] == position(LOAN, "interest: money")
    references = server.request("textDocument/references", {
        "textDocument": {"uri": uri(deal, "loan.cov")}, "position": position(LOAN, "interest: money"),
        "context": {"includeDeclaration": True}})
    assert sorted((Path(r["uri"]).name, r["range"]["start"]["line"]) for r in references) == [
        ("guarantee.cov", 4), ("loan.cov", 14)]


def test_completion_of_names_members_fields_and_keywords(server, deal):
    def labels(text, at):
        change(server, deal, "loan.cov", text, 10)
        result = server.request("textDocument/completion", {"textDocument": {"uri": uri(deal, "loan.cov")},
                                                            "position": at})
        return {item["label"] for item in result["items"]}

    typing = LOAN + "  extra: bool = kind == "
    everything = labels(typing, position(typing, "kind == ", occurrence=1, offset=8))
    assert {"principal", "rate", "revolver", "term_loan", "later_of", "otherwise", "money"} <= everything
    fields = LOAN.replace("p.amount", "p.")
    assert {"day", "amount"} <= labels(fields, position(fields, "p.", offset=2))
    change(server, deal, "loan.cov", LOAN, 11)
    qualified = GUARANTEE.replace("loan.interest", "loan.")
    change(server, deal, "guarantee.cov", qualified, 2)
    result = server.request("textDocument/completion", {"textDocument": {"uri": uri(deal, "guarantee.cov")},
                                                        "position": position(qualified, "loan.", offset=5)})
    assert {"interest", "rate", "principal"} <= {item["label"] for item in result["items"]}
    change(server, deal, "guarantee.cov", GUARANTEE, 3)


def test_outline_of_sections_and_terms(server, deal):
    symbols = server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri(deal, "loan.cov")}})
    names = [s["name"] for s in symbols]
    assert names[:5] == ["loan", "lender", "Kind", "Payment", "principal"]
    section = next(s for s in symbols if s["name"].startswith("§ 2(a)"))
    assert [c["name"] for c in section["children"]] == ["rate", "interest", "paid"]


def test_code_lens_shows_values_for_the_facts(server, deal):
    lenses = server.request("textDocument/codeLens", {"textDocument": {"uri": uri(deal, "loan.cov")}})
    shown = {lens["range"]["start"]["line"]: lens["command"]["title"] for lens in lenses}
    assert shown[13] == "= 5%" and shown[14] == "= $50,000.00"


def test_rename_a_term_across_the_deal(server, deal):
    edit = server.request("textDocument/rename", {"textDocument": {"uri": uri(deal, "loan.cov")},
                                                  "position": position(LOAN, "interest: money"),
                                                  "newName": "yearly_interest"})
    changes = edit["changes"]
    assert sorted(Path(u).name for u in changes) == ["guarantee.cov", "loan.cov"]
    assert [e["range"]["start"] for e in changes[uri(deal, "guarantee.cov")]] == [
        position(GUARANTEE, "interest")]
    assert all(e["newText"] == "yearly_interest" for edits in changes.values() for e in edits)
    refused = server.request("textDocument/rename", {"textDocument": {"uri": uri(deal, "loan.cov")},
                                                     "position": position(LOAN, "interest: money"),
                                                     "newName": "when"})
    assert "not a name" in refused["error"]["message"]


def test_formatting_a_document(server, deal):
    messy = LOAN.replace("  interest: money = principal * rate" + " " * 45 + "§ 2(a)",
                         "interest: money = principal * rate § 2(a)")
    change(server, deal, "loan.cov", messy, 20)
    edits = server.request("textDocument/formatting", {"textDocument": {"uri": uri(deal, "loan.cov")},
                                                       "options": {"tabSize": 2, "insertSpaces": True}})
    assert edits[0]["newText"] == LOAN
    change(server, deal, "loan.cov", LOAN, 21)


def test_without_pygls_the_command_says_what_to_install(monkeypatch, capsys):
    import sys

    from interpreter.cli.main import main

    for module in [m for m in sys.modules if m.startswith(("pygls", "interpreter.editor.lsp.server"))]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, "pygls", None)  # as if it were not installed
    assert main(["lsp"]) == 2
    err = capsys.readouterr().err
    assert "needs pygls" in err and "pip install 'covenant[editor]'" in err
