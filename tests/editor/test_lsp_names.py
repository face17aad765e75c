"""What a word names, and where a name is used, as the language server finds them."""
from dsl.parser import parse
from interpreter.editor.lsp import names
from interpreter.editor.lsp.deal import Deal, Document

LOAN = """\
agreement loan "Loan"
type Payment = record { day: date, amount: money }
input payments: list of Payment "payments"
input amount: money "the amount lent"
§ 1 "Payments"
  total: money = sum([amount.amount for amount in payments])                    § 1
  owed: money = amount - total                                                   § 1
"""
NOTE = """\
agreement note "Note"
§ 1 "Note"
  face: money = loan.amount + loan.total                                         § 1
"""


def deal(tmp_path) -> Deal:
    folder = Deal(tmp_path)
    for name, text in (("loan.cov", LOAN), ("note.cov", NOTE)):
        document = Document(str(tmp_path / name), text, parse(text, str(tmp_path / name)))
        folder.documents[document.path] = document
    return folder


def words(document, text):
    return [w for w in document.words if w.text == text]


def test_a_comprehension_variable_is_not_the_input_of_the_same_name(tmp_path):
    found = deal(tmp_path)
    loan = found.documents[str(tmp_path / "loan.cov")]
    declaration = names.find(found, loan, words(loan, "amount")[5])  # in `amount - total`
    assert declaration.kind == "input"
    lines = sorted((d.path.rsplit("/", 1)[-1], w.line, w.column) for d, w in names.references(found, declaration))
    # the declaration, the use in `owed`, and the qualified use in the note; not the
    # comprehension's variable, nor the field `amount`
    assert lines == [("loan.cov", 3, 6), ("loan.cov", 6, 16), ("note.cov", 2, 21)]
    assert names.find(found, loan, words(loan, "amount")[2]) is None  # `amount.amount`: the variable


def test_a_field_after_a_dot_is_the_record_field(tmp_path):
    found = deal(tmp_path)
    loan = found.documents[str(tmp_path / "loan.cov")]
    field = names.find(found, loan, words(loan, "amount")[3])  # `.amount`
    assert field.kind == "field" and field.word.line == 1


def test_a_qualified_name_leads_to_the_other_agreement(tmp_path):
    found = deal(tmp_path)
    note = found.documents[str(tmp_path / "note.cov")]
    total = names.find(found, note, words(note, "total")[0])
    assert (total.agreement, total.kind, total.word.line) == ("loan", "term", 5)
    assert names.find(found, note, words(note, "loan")[1]).kind == "agreement"
