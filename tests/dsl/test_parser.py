"""Parsing: every construct of the language becomes the AST node it should, AST
equality ignores where a clause is written, and spans say exactly where it is."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dsl import ast
from dsl.errors import SyntaxProblem
from dsl.parser import parse

HEADER = 'agreement demo "A demo"\n  party seller "The Seller"\n'


def agreement(body: str, file: str = "demo.cov") -> ast.Agreement:
    return parse(HEADER + body, file)


def expr(source: str) -> ast.Expr:
    """The expression `source`, parsed as the body of a definition."""
    return agreement(f"x: count = {source} § 1\n").definitions[0].body.value


def lit(value, kind):
    return ast.Literal(value, kind)


N = ast.Name


# ---- header -------------------------------------------------------------------

def test_header_fields():
    a = parse('''
agreement supply "Supply Agreement"
  dated 2001-08-31
  effective 2001-09-01
  party seller "The Seller"
  party buyer "The Buyer, a corporation"
  governing_law "New York" § 12
  restates old_supply
  amends frame_deal
  source "supply.txt"
''', "supply.cov")
    assert a.id == "supply"
    assert a.title == "Supply Agreement"
    assert a.dated == dt.date(2001, 8, 31)
    assert a.effective == dt.date(2001, 9, 1)
    assert a.parties == (ast.Party("seller", "The Seller"), ast.Party("buyer", "The Buyer, a corporation"))
    assert a.governing_law == "New York"
    assert a.restates == "old_supply"
    assert a.amends == "frame_deal"
    assert a.source == "supply.txt"
    assert a.path == "supply.cov"


def test_header_fields_are_optional():
    a = parse('agreement bare "Bare"\n')
    assert (a.dated, a.effective, a.governing_law, a.restates, a.amends, a.source) == (None,) * 6
    assert a.parties == ()
    assert a.sections == a.inputs == a.types == a.definitions == a.exceptions == a.obligations == ()


# ---- sections -----------------------------------------------------------------

def test_sections_and_their_status():
    a = agreement('''
§ 1 "Definitions"
§ 8 "Notices" boilerplate "standard notice clause"
§ 10(a) "Taxes" not_encoded "left to counsel"
''')
    assert a.sections == (
        ast.Section("1", "Definitions", "encoded", None),
        ast.Section("8", "Notices", "boilerplate", "standard notice clause"),
        ast.Section("10(a)", "Taxes", "not_encoded", "left to counsel"),
    )


def test_declarations_belong_to_the_section_above_them():
    a = agreement('''
early: count = 1 § 0
§ 2 "Price"
price: money = $5 § 2(a)
exception to price when true -> $6 § 2(b)
§ 3 "Delivery"
obligation deliver: seller must "deliver" § 3
''')
    assert a.definitions[0].section is None
    assert a.definitions[1].section == "2"
    assert a.exceptions[0].section == "2"
    assert a.obligations[0].section == "3"


# ---- inputs and types ---------------------------------------------------------

def test_input_plain_optional_and_default():
    a = agreement('''
input price: money "The price"
input waived_on: date optional "The day it was waived"
input rate: percent = 10% "The rate"
input quotes: list of quote "Quotes"
''')
    price, waived, rate, quotes = a.inputs
    assert price == ast.InputDecl("price", ast.NamedType("money"), False, None, "The price")
    assert waived == ast.InputDecl("waived_on", ast.NamedType("date"), True, None, "The day it was waived")
    assert rate == ast.InputDecl("rate", ast.NamedType("percent"), False, lit(Decimal("0.1"), "percent"),
                                 "The rate")
    assert quotes.type == ast.ListType(ast.NamedType("quote"))
    assert quotes.optional is False and quotes.default is None


def test_enum_and_record_type_declarations():
    a = agreement('''
type grade = enum { good, fair, poor }
type quote = record { day: date, price: money, notes: list of text optional }
''')
    grade, quote = a.types
    assert grade == ast.TypeDecl("grade", ast.EnumDecl(("good", "fair", "poor")))
    assert quote == ast.TypeDecl("quote", ast.RecordDecl((
        ast.FieldDecl("day", ast.NamedType("date"), False),
        ast.FieldDecl("price", ast.NamedType("money"), False),
        ast.FieldDecl("notes", ast.ListType(ast.NamedType("text")), True),
    )))


# ---- definitions --------------------------------------------------------------

def test_definition_with_a_rule_and_its_citation():
    d = agreement("fee: money = price * 2% § 2(b), 3(a)\n").definitions[0]
    assert d == ast.Definition("fee", ast.NamedType("money"), ast.Rule(
        ast.Binary("*", N("price"), lit(Decimal("0.02"), "percent")), ast.Citation(("2(b)", "3(a)"))))
    assert d.citations == (ast.Citation(("2(b)", "3(a)")),)
    assert str(d.body.citation) == "§ 2(b), 3(a)"


@pytest.mark.parametrize("written, refs", [
    ("§ 2", ("2",)),
    ("§2", ("2",)),
    ("§ 4(a)(ii)", ("4(a)(ii)",)),
    ("§ 2(b), 3(a)", ("2(b)", "3(a)")),
    ("§ 1.2", ("1.2",)),
    ("§ Art. 5", ("Art. 5",)),
])
def test_citation_forms(written, refs):
    assert agreement(f"x: count = 1 {written}\n").definitions[0].body.citation.refs == refs


def test_first_match_table_with_otherwise():
    d = agreement('''
tier: count =
  first
    when units > 100 -> 3 § 4(a)
    when units > 10 -> 2 § 4(b)
    otherwise -> 1 § 4(c)
''').definitions[0]
    assert d.body == ast.Table((
        ast.Row(ast.Binary(">", N("units"), lit(100, "count")), lit(3, "count"), ast.Citation(("4(a)",))),
        ast.Row(ast.Binary(">", N("units"), lit(10, "count")), lit(2, "count"), ast.Citation(("4(b)",))),
        ast.Row(None, lit(1, "count"), ast.Citation(("4(c)",))),
    ))
    assert [str(c) for c in d.citations] == ["§ 4(a)", "§ 4(b)", "§ 4(c)"]


def test_table_without_otherwise():
    d = agreement("tier: count = first when units > 1 -> 2 § 4\n").definitions[0]
    assert len(d.body.rows) == 1 and d.body.rows[0].condition is not None


# ---- exceptions ---------------------------------------------------------------

def test_exception_with_label_and_priority():
    e = agreement('exception to price "default rate" priority 3 when late -> $7 § 5(a)\n').exceptions[0]
    assert e == ast.ExceptionRule("price", "default rate", 3, N("late"), lit(Decimal("7"), "money"),
                                  ast.Citation(("5(a)",)))


def test_exception_without_label_has_priority_one():
    e = agreement("exception to price when late -> $7 § 5(a)\n").exceptions[0]
    assert (e.target, e.label, e.priority) == ("price", None, 1)


def test_exception_with_priority_but_no_label():
    e = agreement("exception to price priority 2 when late -> $7 § 5(a)\n").exceptions[0]
    assert (e.label, e.priority) == (None, 2)


# ---- obligations --------------------------------------------------------------

def test_obligation_with_every_clause():
    o = agreement('''
obligation deliver: seller must "deliver the goods"
  when ordered is not none
  within 30 days after ordered
  done delivered_on
  § 6(a)
''').obligations[0]
    assert o == ast.Obligation(
        "deliver", "seller", "deliver the goods",
        condition=ast.IsNone(N("ordered"), True),
        within=lit(ast.Duration(30, "day"), "duration"), after=N("ordered"),
        by=None, done=N("delivered_on"), citation=ast.Citation(("6(a)",)))


def test_obligation_with_a_fixed_deadline():
    o = agreement('obligation pay: seller must "pay" by 2002-01-31 done paid_on § 7\n').obligations[0]
    assert o.by == lit(dt.date(2002, 1, 31), "date")
    assert (o.condition, o.within, o.after) == (None, None, None)
    assert o.done == N("paid_on")


def test_bare_obligation():
    o = agreement('obligation keep_books: seller must "keep books" § 8\n').obligations[0]
    assert (o.name, o.party, o.action) == ("keep_books", "seller", "keep books")
    assert (o.condition, o.within, o.after, o.by, o.done) == (None,) * 5


# ---- literals -----------------------------------------------------------------

@pytest.mark.parametrize("source, value, kind", [
    ("$1_000.50", Decimal("1000.50"), "money"),
    ("$5", Decimal("5"), "money"),
    ("$12_500_000.00", Decimal("12500000.00"), "money"),
    ("10%", Decimal("0.1"), "percent"),
    ("12.5%", Decimal("0.125"), "percent"),
    ("1_000", 1000, "count"),
    ("42", 42, "count"),
    ("2.50", Decimal("2.50"), "decimal"),
    ("2001-08-31", dt.date(2001, 8, 31), "date"),
    ("30 days", ast.Duration(30, "day"), "duration"),
    ("1 day", ast.Duration(1, "day"), "duration"),
    ("6 months", ast.Duration(6, "month"), "duration"),
    ("1 year", ast.Duration(1, "year"), "duration"),
    ("2 business days", ast.Duration(2, "business_day"), "duration"),
    ('"some text"', "some text", "text"),
    ("true", True, "bool"),
    ("false", False, "bool"),
    ("none", None, "none"),
])
def test_literals(source, value, kind):
    node = expr(source)
    assert node == ast.Literal(value, kind)
    assert type(node.value) is type(value)


def test_money_and_percent_are_exact_decimals():
    assert isinstance(expr("$0.10").value, Decimal)
    assert expr("$0.10").value == Decimal("0.10") and str(expr("$0.10").value) == "0.10"
    assert expr("33.3%").value == Decimal("0.333")


def test_durations_print_as_written():
    assert str(ast.Duration(1, "day")) == "1 day"
    assert str(ast.Duration(2, "business_day")) == "2 business days"
    assert str(ast.Duration(6, "month")) == "6 months"


# ---- expressions --------------------------------------------------------------

def test_arithmetic_precedence():
    assert expr("a + b * c") == ast.Binary("+", N("a"), ast.Binary("*", N("b"), N("c")))
    assert expr("(a + b) * c") == ast.Binary("*", ast.Binary("+", N("a"), N("b")), N("c"))
    assert expr("a - b - c") == ast.Binary("-", ast.Binary("-", N("a"), N("b")), N("c"))
    assert expr("a / b * c") == ast.Binary("*", ast.Binary("/", N("a"), N("b")), N("c"))


def test_boolean_precedence():
    assert expr("a or b and c") == ast.Binary("or", N("a"), ast.Binary("and", N("b"), N("c")))
    assert expr("not a and b") == ast.Binary("and", ast.Unary("not", N("a")), N("b"))
    assert expr("a < b and c >= d") == ast.Binary(
        "and", ast.Binary("<", N("a"), N("b")), ast.Binary(">=", N("c"), N("d")))


@pytest.mark.parametrize("op", ["<", "<=", "==", "!=", ">=", ">"])
def test_comparisons(op):
    assert expr(f"a {op} b") == ast.Binary(op, N("a"), N("b"))


def test_unary_minus():
    assert expr("-a") == ast.Unary("-", N("a"))
    assert expr("a - -$5") == ast.Binary("-", N("a"), ast.Unary("-", lit(Decimal("5"), "money")))


def test_if_then_else():
    assert expr("if a then $1 else $2") == ast.If(N("a"), lit(Decimal("1"), "money"), lit(Decimal("2"), "money"))


def test_calls():
    assert expr("max(a, b, $3)") == ast.Call("max", (N("a"), N("b"), lit(Decimal("3"), "money")))
    assert expr("count(quotes)") == ast.Call("count", (N("quotes"),))
    assert expr("later_of(d, d + 30 days)") == ast.Call("later_of", (
        N("d"), ast.Binary("+", N("d"), lit(ast.Duration(30, "day"), "duration"))))


def test_membership():
    assert expr("grade in {good, fair}") == ast.Member(N("grade"), (N("good"), N("fair")))
    assert expr("n in {1}") == ast.Member(N("n"), (lit(1, "count"),))


def test_is_none_and_is_not_none():
    assert expr("d is none") == ast.IsNone(N("d"), False)
    assert expr("d is not none") == ast.IsNone(N("d"), True)


def test_qualified_names_and_fields():
    assert expr("other.term") == ast.Attribute(N("other"), "term")
    assert expr("quotes.price") == ast.Attribute(N("quotes"), "price")
    assert expr("a.b.c") == ast.Attribute(ast.Attribute(N("a"), "b"), "c")
    assert expr("other.term + 1") == ast.Binary("+", ast.Attribute(N("other"), "term"), lit(1, "count"))


def test_comprehension_with_and_without_condition():
    assert expr("[q.price for q in quotes]") == ast.Comprehension(
        ast.Attribute(N("q"), "price"), "q", N("quotes"), None)
    assert expr("[q.price * 2 for q in quotes if q.volume > 100]") == ast.Comprehension(
        ast.Binary("*", ast.Attribute(N("q"), "price"), lit(2, "count")), "q", N("quotes"),
        ast.Binary(">", ast.Attribute(N("q"), "volume"), lit(100, "count")))


def test_names_that_begin_with_keywords_are_names():
    # `interest` begins with `in`, `order` with `or`, `notice` with `not`, `iffy` with `if`.
    e = expr("interest + order * notice - iffy")
    assert e == ast.Binary("-", ast.Binary("+", N("interest"), ast.Binary("*", N("order"), N("notice"))),
                           N("iffy"))


def test_comments_and_layout_are_ignored():
    a = agreement('''
# a comment line
fee: money =    # a comment after the equals sign
    price
      * 2%      # the rate
    § 2
''')
    assert a.definitions[0].body.value == ast.Binary("*", N("price"), lit(Decimal("0.02"), "percent"))


def test_a_number_of_business_months_is_refused():
    with pytest.raises(SyntaxProblem, match="business days"):
        expr("2 business months")


def test_a_fractional_duration_is_refused():
    with pytest.raises(SyntaxProblem, match="whole number"):
        expr("1.5 days")


def test_a_fractional_priority_is_refused():
    with pytest.raises(SyntaxProblem, match="whole number"):
        agreement("exception to x priority 1.5 when true -> 1 § 1\n")


# ---- equality ignores spans ---------------------------------------------------

CLAUSE = "fee: money = if late then price * 20% else price * 2% § 2(a)\n"


def test_same_clause_on_different_lines_compares_equal():
    first = agreement(CLAUSE).definitions[0]
    moved = agreement("\n\n\n# moved down\n      " + CLAUSE.replace(" * ", "\n   *   ")).definitions[0]
    assert first.span.line != moved.span.line
    assert first.span.column != moved.span.column
    assert first == moved
    assert hash(first) == hash(moved)


def test_whole_agreements_differing_only_in_layout_compare_equal():
    source = HEADER + "input price: money \"P\"\n" + CLAUSE
    spaced = source.replace("\n", "\n\n   ").replace("§ 2(a)", "\n   § 2(a)")
    assert parse(source, "a.cov") == parse(spaced, "b.cov")


def test_different_clauses_do_not_compare_equal():
    base = agreement(CLAUSE).definitions[0]
    assert agreement(CLAUSE.replace("20%", "21%")).definitions[0] != base
    assert agreement(CLAUSE.replace("§ 2(a)", "§ 2(b)")).definitions[0] != base
    assert agreement(CLAUSE.replace("money", "decimal")).definitions[0] != base


def test_span_is_not_part_of_repr():
    assert "span" not in repr(expr("a + 1"))


# ---- spans --------------------------------------------------------------------

SPANNED = '''agreement demo "A demo"
  party seller "The Seller"
input price: money "The price"
fee: money =
    price * 2%   § 2(a)
exception to fee "waiver" priority 2 when price > $1_000 -> $0 § 2(b)
'''


def test_spans_carry_file_line_and_column():
    a = parse(SPANNED, "spans.cov")
    assert a.span.file == "spans.cov"
    assert (a.span.line, a.span.column) == (1, 1)
    assert (a.parties[0].span.line, a.parties[0].span.column) == (2, 3)
    assert (a.inputs[0].span.line, a.inputs[0].span.column) == (3, 1)
    assert (a.inputs[0].type.span.line, a.inputs[0].type.span.column) == (3, 14)
    fee = a.definitions[0]
    assert (fee.span.line, fee.span.column, fee.span.end_line) == (4, 1, 5)
    value = fee.body.value
    assert (value.span.line, value.span.column) == (5, 5)
    assert (value.left.span.line, value.left.span.column, value.left.span.end_column) == (5, 5, 10)
    assert (value.right.span.line, value.right.span.column) == (5, 13)
    citation = fee.body.citation
    assert (citation.span.line, citation.span.column) == (5, 18)
    rule = a.exceptions[0]
    assert (rule.span.line, rule.span.column) == (6, 1)
    assert (rule.condition.right.span.line, rule.condition.right.span.column) == (6, 51)


def test_span_offsets_slice_the_source_text():
    a = parse(SPANNED, "spans.cov")
    fee = a.definitions[0]
    text_of = lambda node: SPANNED[node.span.start:node.span.end]  # noqa: E731
    assert text_of(fee.body.value) == "price * 2%"
    assert text_of(fee.body.citation) == "§ 2(a)"
    assert text_of(a.exceptions[0].condition) == "price > $1_000"
    assert text_of(a.exceptions[0].value) == "$0"


def test_attribute_name_span_points_at_the_field_name():
    a = agreement("x: money = other.term § 1\n")
    node = a.definitions[0].body.value
    assert (node.name_span.line, node.name_span.column, node.name_span.end_column) == (3, 18, 22)
    assert (node.base.span.column, node.base.span.end_column) == (12, 17)


def test_span_str_is_file_line_column():
    node = agreement("\n\nx: count = 1 + y § 1\n", "where.cov").definitions[0].body.value.right
    assert str(node.span) == "where.cov:5:16"


def test_the_empty_list_is_a_literal():
    from dsl.parser import parse_expression
    from dsl import ast
    expr = parse_expression("[]")
    assert isinstance(expr, ast.Literal) and expr.kind == "list" and expr.value == ()
