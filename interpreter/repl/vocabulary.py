"""The words of a REPL session, for completion and highlighting."""
from __future__ import annotations

from interpreter.evaluation.builtins import BUILTINS
from interpreter.static.scope import BUILTIN_VALUES


class Vocabulary:
    """Names, inputs, agreements, readings and sections of the loaded deal (mixed into Session)."""

    def names(self) -> list[str]:
        """Every term and input, plain and qualified by its agreement."""
        if self.model is None:
            return []
        plain = [n for s in self.model.scopes.values() for n in s.names()]
        qualified = [f"{s.id}.{n}" for s in self.model.scopes.values() for n in s.names()]
        return list(dict.fromkeys(plain + qualified))

    def input_names(self) -> list[str]:
        """Every input (those amendments add too), plain and qualified by its agreement."""
        if self.amended is None:
            return []
        plain = [n for s in self.amended.scopes.values() for n in s.inputs]
        qualified = [f"{s.id}.{n}" for s in self.amended.scopes.values() for n in s.inputs]
        return list(dict.fromkeys(plain + qualified))

    def agreement_ids(self) -> list[str]:
        """The id of every agreement of the deal."""
        return list(self.model.scopes) if self.model is not None else []

    def reading_names(self) -> list[str]:
        """Every named reading, plain and qualified by its agreement."""
        if self.amended is None:
            return []
        qualified = self.amended.reading_names()
        return list(dict.fromkeys([q.split(".", 1)[1] for q in qualified] + qualified))

    def expression_words(self) -> list[str]:
        """Words an expression may use: terms, inputs, agreements, functions, built-in
        values, enumeration members and parties."""
        words = [*self.names(), *BUILTINS, *BUILTIN_VALUES]
        if self.model is not None:
            for scope in self.model.scopes.values():
                words += [scope.id, *scope.members, *scope.parties]
        return list(dict.fromkeys(words))

    def section_numbers(self) -> list[str]:
        """The numbers of every section of the deal."""
        if self.model is None:
            return []
        return list(dict.fromkeys(s.number for scope in self.model.scopes.values()
                                  for s in scope.agreement.sections))

    def kind_of(self, word: str) -> str | None:
        """What a word names, for highlighting: term, input, function, agreement or None."""
        if word in BUILTINS:
            return "function"
        if self.model is None:
            return None
        if word in self.model.scopes:
            return "agreement"
        for scope in self.model.scopes.values():
            if word in scope.inputs:
                return "input"
            if scope.symbol(word) is not None:
                return "term"
        return None
