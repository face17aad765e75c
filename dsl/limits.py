"""Every limit Covenant puts on what it reads and computes, in one place.

Hostile or mistaken input must end in one clear message, never in a hang, a crash or
memory exhausted. Each limit is checked where the value is read or computed, and is
listed with its number in the README (section *Reliability*): change both together.
The limits are far above what a real agreement needs (in brackets: the largest the
corpus under agreements/ reaches).
"""
from __future__ import annotations

# Files and entries.
COV_FILE_BYTES = 2_000_000          # a .cov file (82 KB)
FACT_FILE_BYTES = 2_000_000         # a fact or action file (6 KB)
SOURCE_TEXT_BYTES = 10_000_000      # an agreement's source text named by `source` (47 KB)
FOLDER_ENTRIES = 10_000             # files and folders walked to find the .cov files of a folder (27)
ENTRY_CHARACTERS = 100_000          # a REPL entry, or one word of a command line
NAME_CHARACTERS = 200               # a name looked up for a did-you-mean hint
SCENARIO_LINE_CHARACTERS = 1_000_000  # one line of a batch scenario file (CSV row or JSON line)
LSP_MESSAGE_BYTES = 10_000_000      # one message to the language server (its header line, its body)

# Nesting.
EXPRESSION_DEPTH = 100              # levels of the parse tree of one declaration (45)
YAML_DEPTH = 50                     # levels of lists and mappings in a fact file or a JSON line (3)
TERM_CHAIN = 100                    # terms each using the next, input defaults included (14)

# Sizes of values.
NUMBER_DIGITS = 34                  # digits of one number as written, leading zeros aside (34: a logarithm)
MAGNITUDE_DIGITS = 30               # a number, written or computed, is below 10**30 in size (10**9)
YAML_NODES = 100_000                # values in one YAML document, each alias counted again (250)
LIST_LENGTH = 10_000                # elements of one list fact (20)
YEAR_RANGE = (1, 9999)              # dates, written or computed
BUSINESS_DAYS = 100_000             # business days counted on a holiday calendar, which is walked day by day

# Work.
BATCH_WORKERS = 64                  # processes `covenant batch --workers` may start
EVALUATION_STEPS = 500_000          # expression steps one evaluator takes, all terms together (2,064)


def number_problem(whole: str, fraction: str = "") -> str | None:
    """Why a number written with these digits before and after its decimal point is
    beyond the limits (too many digits, too large), or None when it is within them."""
    digits = len(whole.lstrip("0")) + len(fraction)  # leading zeros are no digits: 0.25 has two
    if digits > NUMBER_DIGITS:
        return f"a number has at most {NUMBER_DIGITS} digits; this one has {digits:,}"
    if len(whole.lstrip("0")) > MAGNITUDE_DIGITS:
        return f"a number must be below 10^{MAGNITUDE_DIGITS}; this one has {len(whole.lstrip('0')):,} digits " \
               "before its decimal point"
    return None

# Python's own limit on nested calls, raised so that the deepest evaluation the limits
# above allow (TERM_CHAIN terms, each reached at the bottom of an expression
# EXPRESSION_DEPTH deep, about four calls a level) completes. The evaluator's
# recursion is Python calling Python, which costs no C stack in Python 3.11.
PYTHON_RECURSION = TERM_CHAIN * (EXPRESSION_DEPTH * 5 + 20)
