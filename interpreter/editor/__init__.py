"""Editing `.cov` files like code: the formatter (`covenant fmt`), the Pygments lexer
and TextMate grammar (highlighting), and the language server (`covenant lsp`).

All of them read the language from `dsl/covenant.lark` and `dsl.parser`, so that they
follow the grammar as it grows."""
