"""The REPL in a terminal, on prompt_toolkit: completion of commands, names, inputs,
section numbers and paths; syntax highlighting of the language; persistent history;
entries that go on over several lines.

History is kept in $XDG_DATA_HOME/covenant/history (by default
~/.local/share/covenant/history); if it cannot be written the REPL goes on without.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer, Completion, PathCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.lexers import Lexer
from prompt_toolkit.styles import Style

from interpreter.repl.entry import complete_entry, incomplete
from interpreter.repl.highlight import keywords, pieces
from interpreter.repl.session import COMMANDS, Reply, Session

PROMPT = "covenant> "

STYLE = Style.from_dict({
    "prompt": "bold",
    "command": "bold ansiblue",
    "keyword": "bold ansiblue",
    "term": "ansicyan",
    "input": "ansigreen",
    "function": "ansimagenta",
    "agreement": "bold ansicyan",
    "number": "ansiyellow",
    "money": "bold ansiyellow",
    "date": "ansibrightmagenta",
    "string": "ansibrightgreen",
    "citation": "bold ansired",
    "comment": "italic ansibrightblack",
    "path": "underline",
    "error": "bg:ansired ansiwhite",
})


def _argument_of(command: str) -> str | None:
    spec = COMMANDS.get(command)
    return spec.argument if spec else None


class CovenantLexer(Lexer):
    """Colours an entry: keywords, the deal's terms and inputs, numbers, money, dates,
    strings, citations, comments and commands."""

    def __init__(self, session: Session):
        self.session = session

    def lex_document(self, document: Document):
        """The styled pieces of each line of the entry."""
        lines: list[list[tuple[str, str]]] = [[]]
        for cls, text in pieces(document.text, self.session.kind_of, _argument_of):
            style = f"class:{cls}" if cls else ""
            for number, part in enumerate(text.split("\n")):
                if number:
                    lines.append([])
                if part:
                    lines[-1].append((style, part))
        return lambda line: lines[line] if line < len(lines) else []


class CovenantCompleter(Completer):
    """Completes command names, then what each command takes (paths, section numbers,
    inputs, terms, commands, agreements, readings); in an expression, the names it may
    use and keywords."""

    def __init__(self, session: Session):
        self.session = session
        self.paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, complete_event):
        """The completions for the text before the cursor."""
        text = document.text_before_cursor
        command = re.match(r"\s*:(\S*)(\s+)?", text)
        if command and command.group(2) is None:
            word = command.group(1)
            for spec in COMMANDS.values():
                if spec.name.startswith(word):
                    yield Completion(f":{spec.name}", -len(word) - 1, display_meta=spec.summary)
            return
        if command:
            spec = COMMANDS.get(command.group(1))
            rest = text[command.end():]
            argument = spec.argument if spec else "none"
            if argument == "path":
                word = rest.split()[-1] if rest and not rest[-1].isspace() else ""
                yield from self.paths.get_completions(Document(word, len(word)), complete_event)
                return
            if argument == "section":
                yield from _starting(rest.strip(), self.session.section_numbers())
                return
            if argument in ("agreement", "reading"):
                yield from self._last_word(argument, rest)
                return
            candidates = {"command": list(COMMANDS), "input": self.session.input_names(),
                          "name": self.session.names()}.get(argument)
            if candidates is not None and re.fullmatch(r"[\w.]*", rest):
                yield from _starting(rest, candidates)
                return
            if argument != "expression":
                return
        word = re.search(r"[A-Za-z_][\w.]*$", text)
        if word:
            yield from _starting(word.group(), [*self.session.expression_words(), *sorted(keywords())])

    def _last_word(self, argument: str, rest: str) -> list[Completion]:
        """Agreement ids (`:use`, `:diff`) or readings (`:reading`, with `off` and
        `none` first) for the word being typed."""
        words = rest.split()
        word = "" if not rest or rest[-1].isspace() else words.pop()
        if argument == "agreement":
            return _starting(word, self.session.agreement_ids())
        return _starting(word, [*([] if words else ["off", "none"]), *self.session.reading_names()])


def _starting(prefix: str, candidates) -> list[Completion]:
    return [Completion(c, -len(prefix)) for c in dict.fromkeys(candidates) if c.startswith(prefix)]


def history_path() -> Path:
    """Where the history is kept: $XDG_DATA_HOME/covenant/history (default ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "share"
    return root / "covenant" / "history"


class _FileHistory(FileHistory):
    """A history file that stops recording, rather than failing, if writing it fails."""

    def store_string(self, string: str) -> None:
        """Append an entry to the file, unless the file can no longer be written."""
        try:
            super().store_string(string)
        except OSError:
            pass


def open_history() -> tuple[History, str | None]:
    """The persistent history, or an in-memory one and why, if its file cannot be written."""
    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as error:
        return InMemoryHistory(), f"(history is not kept: cannot write {path}: {error.strerror or error})"
    return _FileHistory(str(path)), None


def _key_bindings() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event) -> None:
        """Enter ends the entry, unless it ends with `\\` or leaves a bracket open."""
        buffer = event.current_buffer
        if incomplete(buffer.text):
            buffer.insert_text("\n")
        else:
            buffer.validate_and_handle()

    return bindings


def _continuation(width: int, line_number: int, is_soft_wrap: bool) -> str:
    return "." * (width - 1) + " "


def run_terminal(session: Session, greeting: Reply) -> int:
    """The interactive loop; returns 0 when the user leaves (`:quit` or Ctrl-D)."""
    history, note = open_history()
    prompt = PromptSession(multiline=True, prompt_continuation=_continuation, lexer=CovenantLexer(session),
                           completer=CovenantCompleter(session), complete_while_typing=False,
                           history=history, key_bindings=_key_bindings(), style=STYLE,
                           include_default_pygments_style=False)
    print(greeting.text, file=sys.stdout if greeting.ok else sys.stderr)
    if note:
        print(note)
    print("Type an expression, or :help. :quit or Ctrl-D leaves; Ctrl-C cancels a line.")
    while True:
        try:
            text = prompt.prompt([("class:prompt", PROMPT)])
        except KeyboardInterrupt:
            continue
        except EOFError:
            return 0
        try:
            reply = session.handle(complete_entry(text))
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            continue
        if reply.text:
            print(reply.text, file=sys.stdout if reply.ok else sys.stderr, flush=True)
        if reply.quit:
            return 0
