"""The Pygments lexer and the TextMate grammar know every keyword of the grammar."""
import json
import re
import tomllib
from importlib import import_module
from pathlib import Path

import pytest
from lark import Lark
from pygments.token import Error, Keyword, Name, Operator

from dsl.parser import GRAMMAR
from interpreter.editor import textmate
from interpreter.editor.lexer import CovenantLexer

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "agreements").rglob("*.cov"))


def lark_keywords() -> set[str]:
    """The words the grammar reserves, as lark itself compiles them: every terminal
    that is a word, or an alternation of words (`UNIT`)."""
    parser = Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", start="start")
    found = set()
    for terminal in parser.terminals:
        alternatives = terminal.pattern.value.removeprefix("(?:").removesuffix(")").split("|")
        found.update(word for word in alternatives if re.fullmatch(r"[a-z_]+", word))
    return found - {"a"}  # fragments such as NAME's character class are not words


KEYWORDS = sorted(lark_keywords())


def test_the_grammar_has_keywords():
    assert {"agreement", "when", "otherwise", "true", "and", "days"} <= set(KEYWORDS)


@pytest.mark.parametrize("word", KEYWORDS)
def test_pygments_lexer_colours_every_keyword(word):
    tokens = [(kind, text) for kind, text in CovenantLexer().get_tokens(f"{word} ") if text.strip()]
    assert tokens[0][1] == word
    assert tokens[0][0] in Keyword or tokens[0][0] in Operator.Word, tokens


def _first_scope(patterns: list[dict], text: str) -> str | None:
    """The scope TextMate gives the token at the start of `text` (earliest match
    position, then the first pattern in order)."""
    best = None
    for pattern in patterns:
        found = re.search(pattern["match"], text)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), pattern["name"])
    return best and best[1]


@pytest.mark.parametrize("word", KEYWORDS)
def test_textmate_grammar_colours_every_keyword(word):
    grammar = json.loads(textmate.TARGET.read_text(encoding="utf-8"))
    scope = _first_scope(grammar["patterns"], f"{word} ")
    assert scope and scope.split(".")[0] in {"keyword", "constant"}, scope


def test_textmate_file_is_generated_from_the_grammar():
    assert textmate.TARGET.read_text(encoding="utf-8") == textmate.render(), \
        "regenerate it: python -m interpreter.editor.textmate"


def test_textmate_colours_tokens_like_the_lexer():
    grammar = json.loads(textmate.TARGET.read_text(encoding="utf-8"))
    samples = {"§ 2(a)(ii), 3": "entity.name.section", "2001-12-31": "constant.numeric.date",
               "$200_000_000": "constant.numeric.money", "10%": "constant.numeric.percent",
               '"a text"': "string", "# a comment": "comment", "later_of(": "support.function",
               "money ": "support.type", "investor_shares ": "variable.other"}
    for text, scope in samples.items():
        assert _first_scope(grammar["patterns"], text).startswith(scope), text


def test_vscode_manifest_points_at_the_grammar():
    folder = textmate.TARGET.parents[1]
    manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    (grammar,) = manifest["contributes"]["grammars"]
    assert (folder / grammar["path"]).resolve() == textmate.TARGET
    assert manifest["contributes"]["languages"][0]["extensions"] == [".cov"]
    json.loads((folder / "language-configuration.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_lexer_reads_every_bundled_file_without_errors(path):
    text = path.read_text(encoding="utf-8")
    tokens = list(CovenantLexer().get_tokens(text))
    assert "".join(t for _, t in tokens) == text
    assert not [t for kind, t in tokens if kind in Error]
    kinds = {text: kind for kind, text in tokens}
    assert kinds["agreement"] in Keyword
    assert any(kind in Name.Label for kind, _ in tokens)  # citations


def test_lexer_is_registered_as_a_pygments_entry_point():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    target = project["project"]["entry-points"]["pygments.lexers"]["covenant"]
    module, _, attribute = target.partition(":")
    assert getattr(import_module(module), attribute) is CovenantLexer
    assert "covenant" in CovenantLexer.aliases and "*.cov" in CovenantLexer.filenames


def test_every_literal_of_the_grammar_is_coloured():
    grammar = json.loads(textmate.TARGET.read_text(encoding="utf-8"))
    literal_terminals = [t.name for t in Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr").terminals
                         if t.name in {"DATE", "MONEY", "PERCENT", "NUMBER", "RATIO"} or t.priority > 1]
    scopes = {p["name"] for p in grammar["patterns"]}
    for name in literal_terminals:
        assert f"constant.numeric.{name.lower()}.covenant" in scopes, name
