"""The REPL's `:commands`: their usage and help, and the reply to an entry."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Reply:
    """The answer to one entry: text to show, whether it succeeded, whether to leave;
    and the warnings in the text, which a script's run shows even when all is well."""

    text: str = ""
    ok: bool = True
    quit: bool = False
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Command:
    """A `:command`: its usage, what it does, and what its argument is (for completion
    and highlighting): path, section, name, input, command, agreement, reading,
    expression or none."""

    name: str
    usage: str
    summary: str
    argument: str = "none"
    details: str = ""


COMMANDS: dict[str, Command] = {c.name: c for c in (
    Command("load", ":load PATH...", "replace the deal with the .cov files or folders given", "path",
            "The facts set so far are kept where the new deal declares them; the others are dropped, "
            "and the reply says which."),
    Command("reload", ":reload", "re-read the deal's files and the fact file; keep the facts set here", "none",
            "If a file no longer reads or a fact no longer fits, nothing changes and the problem is shown."),
    Command("facts", ":facts [FILE]", "load a YAML fact file; without FILE, list the facts in effect", "path",
            "Facts set with :set or :unset still apply on top of the new file."),
    Command("set", ":set NAME = VALUE", "give a fact, read as a fact file reads it", "input",
            "The value is checked against the input's declared type: dates 2006-12-28, money 12500000.00, "
            "percentages 10%, `none` for an event that did not happen, lists [a, b], records {field: value}. "
            "Qualify NAME as agreement.name to set it in one agreement only."),
    Command("unset", ":unset NAME", "leave a fact out (it becomes unknown)", "input"),
    Command("asof", ":asof DATE", "evaluate as of another date (YYYY-MM-DD, or `today`)", "none",
            "Questions are answered by the deal as in force on that date: an agreement begins on its date "
            "(or `effective` date), a restatement replaces the agreement it restates, amendments apply in "
            "order of date, and the facts decide an amendment that takes effect only `when` a condition holds."),
    Command("use", ":use [AGREEMENT]", "read a name several agreements declare in AGREEMENT; alone, show which",
            "agreement",
            "Without it such a name must be qualified (`agreement.name`). A name only one agreement declares "
            "still decides the agreement an expression is read in; `:use none` forgets the choice."),
    Command("reading", ":reading [NAME | off NAME | none]", "list the named readings, or put one in or out of use",
            "reading",
            "`:reading NAME` evaluates the term it reads under that reading from now on (a reading of the same "
            "term already in use gives way); `:reading off NAME` takes it out of use, `:reading none` all of "
            "them. NAME may be qualified as agreement.reading."),
    Command("explain", ":explain NAME", "how a term's value is derived, step by step", "name"),
    Command("needs", ":needs NAME", "every fact that can decide a term: given, not given, needed now", "name"),
    Command("graph", ":graph NAME [dot|mermaid|json]", "the clause graph around a term (Mermaid by default)", "name"),
    Command("ask", ":ask KIND key=value...", "is a proposed action permitted? every norm that decided it",
            "expression",
            "The action is written as `covenant ask` takes it on the command line, e.g. "
            "`:ask transfer transferee=affiliate date=2001-06-01` (quote a value that holds spaces); a "
            "particular left out is none. A prohibited action is an answer; a malformed one is a mistake."),
    Command("diff", ":diff OLD NEW", "what changed between two agreements or versions", "agreement",
            "OLD and NEW are written as for `covenant diff`: AGREEMENT (as written), AGREEMENT@YYYY-MM-DD "
            "(as in force that day), AGREEMENT@amended (every amendment applied), each optionally followed by "
            "#READING. The facts in effect decide conditional amendments and, when any are given, show the "
            "values that differ."),
    Command("show", ":show SECTION", "a section's rules beside the agreement's own text, e.g. :show 2(b)", "section",
            "Without SECTION, lists the sections. The passage of the source text is found by a heuristic "
            "(the section's number, then each subdivision such as (b), where it begins a line or follows "
            "a space) and may be missing, cut short or too long."),
    Command("timeline", ":timeline [FROM TO]", "every deadline and dated event of the deal, with its status",
            "none",
            "As `covenant timeline` prints it, for the deal, the facts and the date of the session: missed items "
            "first, then each month, the as-of date marked. FROM and TO (YYYY-MM-DD) keep the items dated "
            "between them."),
    Command("save", ":save FILE", "write the facts in effect to a YAML fact file", "path",
            "The file is replaced whole (written beside it, then renamed); loading it gives the same facts back."),
    Command("help", ":help [COMMAND]", "list the commands, or explain one", "command"),
    Command("quit", ":quit", "leave (Ctrl-D also leaves; Ctrl-C cancels the line being typed)", "none"),
)}
