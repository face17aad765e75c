"""Covenant's benchmark: one command, one table.

    python tests/benchmarks/run.py            # the full run (100,000 fact sets; several minutes)
    python tests/benchmarks/run.py --quick    # a smaller run, to try it

Every figure is the median of several runs, and every ratio compares two things
measured in the same run on the same machine: a whole `covenant eval` process
against a bare `python -c pass`; the compiled evaluator against the hand-written
reference (`reference.py`) and against the explaining evaluator; load and
evaluation on synthetic deals 10x and 100x the size of BTI. Goals are printed beside
the figures, never asserted: this is not part of the test run."""
from __future__ import annotations

import argparse
import decimal
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

import generate
import reference
import synthetic
import workload

from interpreter.evaluation.compiled import CompiledDeal
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import FactBase, load_facts
from interpreter.static import collector
from interpreter.static.deal import load_deal
from interpreter.static.model import check_deal
from interpreter.versions.in_force import load_version

EXAMPLE = str(ROOT / "agreements/bti/examples/series-a-2007-redemption-demand.yaml")
EXAMPLE_DATE = "2007-05-01"
PRICE = ("series_a_redemption", "redemption_price")
CONTEXT = decimal.Context(prec=34, traps=[decimal.DivisionByZero, decimal.InvalidOperation])
ROWS: list[tuple[str, str, str, str]] = []


def row(measure: str, figure: str, comparison: str = "", goal: str = "") -> None:
    ROWS.append((measure, figure, comparison, goal))
    print(f"  {measure}: {figure} {comparison}", file=sys.stderr, flush=True)


def median_time(action, repeat: int, number: int = 1) -> float:
    """The median over `repeat` runs of the processor time `action` takes in this
    process, per call: the time it computes, not the time other processes on the
    machine take from it."""
    return median_times([action], repeat, number)[0]


def median_times(actions: list, repeat: int, number: int = 1) -> list[float]:
    """`median_time` of each action, their runs taking turns: two figures to be
    compared meet the same spells of a busy machine."""
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for action, taken in zip(actions, times, strict=True):
            start = time.process_time()
            for _ in range(number):
                action()
            taken.append((time.process_time() - start) / number)
    return [statistics.median(taken) for taken in times]


def load(paths: list[str]):
    """The deal checked, as a command loads it when the cache does not hold it."""
    with collector.paused():
        return check_deal(load_deal(paths))


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} µs"


def process(args: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


# -- the command line as a whole process --------------------------------------------------
def command_env(cache: str) -> dict:
    """The environment of a command the benchmark starts: its own Covenant cache, and
    Python's bytecode cache on, as an installed package has it (a machine that sets
    PYTHONDONTWRITEBYTECODE would otherwise compile every module from source on every
    run, and the benchmark would measure that)."""
    env = {**os.environ, "XDG_CACHE_HOME": cache}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cold_process(repeat: int, cache: str) -> None:
    env = command_env(cache)
    eval_one = [sys.executable, "-m", "interpreter", "eval", "agreements/bti", "--facts", EXAMPLE,
                "--as-of", EXAMPLE_DATE, ".".join(PRICE)]
    process(eval_one, env)  # fills the cache
    bare, whole, uncached = [], [], []
    for _ in range(repeat):  # interleaved, so that both meet the same load
        bare.append(process([sys.executable, "-c", "pass"], env))
        whole.append(process(eval_one, env))
        uncached.append(process(eval_one, {**env, "COVENANT_CACHE": "off"}))
    b, w, u = statistics.median(bare), statistics.median(whole), statistics.median(uncached)
    row("`python -c pass`", ms(b))
    row("`covenant eval` of one name, whole process (cache warm)", ms(w), f"{w / b:.1f}x python start", "≤ 8x")
    row("`covenant eval` of one name, whole process (no cache)", ms(u), f"{u / b:.1f}x python start")


def load_times(repeat: int, cache: str) -> None:
    paths = [str(ROOT / "agreements/bti")]
    warm = median_time(lambda: load(paths), repeat)
    probe = ("import time, sys; sys.path.insert(0, {root!r}); t = time.perf_counter(); {body}; "
             "print(time.perf_counter() - t)")
    cold_body = ("from interpreter.static.cache import checked_deal; import os; "
                 f"os.environ['COVENANT_CACHE'] = 'off'; checked_deal([{paths[0]!r}])")
    cached_body = f"checked_deal([{paths[0]!r}])"
    env = command_env(cache)

    def measured(body: str, setup: str = "") -> float:
        code = setup + probe.format(root=str(ROOT), body=body)
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                              check=True)
        return float(done.stdout.split()[-1])

    cold = statistics.median(measured(cold_body) for _ in range(repeat))
    # Loaded as a command loads it: what it loads is frozen out of the cycle collector's
    # reach (`cache.freeze_loaded`), since the process ends with the command.
    cached_setup = "from interpreter.static import cache\nfrom interpreter.static.cache import checked_deal\n" \
                   "cache.freeze_loaded = True\n"
    from_cache = statistics.median(measured(cached_body, cached_setup) for _ in range(repeat))
    row("whole-deal load in a warm process (parse, resolve, type-check, graph)", ms(warm))
    row("whole-deal load, cold process (imports included)", ms(cold))
    row("whole-deal load from the cache (fresh process)", ms(from_cache), f"{warm / from_cache:.0f}x faster than "
        "parsing", "< 30 ms")


# -- evaluation in a warm process ----------------------------------------------------------
def one_fact_base(repeat: int) -> None:
    import datetime as dt

    date = dt.date.fromisoformat(EXAMPLE_DATE)
    model, facts = load_version([str(ROOT / "agreements/bti")], [EXAMPLE], date)
    compiled = CompiledDeal(model)
    compiled.value(compiled.env(facts, date), *PRICE)  # compiled once per load
    fast = median_time(lambda: compiled.value(compiled.env(facts, date), *PRICE), repeat, 2000)
    slow = median_time(lambda: Evaluator(model, facts, date).derive(*PRICE), repeat, 200)
    plain = {k: (None if v.__class__.__name__ == "_NoneType" else v) for k, v in facts.values.items()}
    with decimal.localcontext(CONTEXT):
        by_hand = median_time(lambda: reference.redemption_price(plain), repeat, 2000)
    row("one name (Series A redemption price), compiled", us(fast), f"{fast / by_hand:.1f}x hand-written "
        f"({us(by_hand)})", "< 20 µs")
    row("one name, explaining evaluator (with its derivation)", us(slow), f"{slow / fast:.0f}x compiled")
    terms = [(s.id, n) for s in model.scopes.values() for n in (*s.definitions, *s.obligations)]

    def every(ask):
        env = compiled.env(facts, date)
        for term in terms:
            ask(env, *term)
    all_fast = median_time(lambda: every(compiled.result), repeat, 20)
    def every_explained():
        explaining = Evaluator(model, facts, date)
        for term in terms:
            explaining.derive(*term)
    all_slow = median_time(every_explained, repeat, 5)
    row(f"every name ({len(terms)}) for one fact base, compiled", ms(all_fast), f"explaining: {ms(all_slow)}")


def batch_in_process(rows: int, repeat: int) -> None:
    compiled = workload.compiled_deal()
    evaluate = workload.make_evaluate(compiled)
    sets = list(generate.fact_sets(rows))
    converted = [tuple(map(workload.covenant_values, fs)) for fs in sets]
    as_of = generate.AS_OF

    def covenant_loop():
        with decimal.localcontext(CONTEXT):
            for facts, transfer, action in converted:
                evaluate(facts, transfer, action)

    def reference_loop():
        with decimal.localcontext(CONTEXT):
            for facts, transfer, action in sets:
                reference.evaluate(facts, transfer, action, as_of)
    cov, ref = median_times([covenant_loop, reference_loop], repeat)
    row(f"batch of {rows:,} generated fact sets, 5 answers each, compiled (one core)",
        f"{rows / cov:,.0f} sets/s", f"{cov / ref:.2f}x hand-written ({rows / ref:,.0f} sets/s)", "≤ 2.0x")
    sample = converted[: max(rows // 20, 200)]

    def explaining_loop():
        for facts, transfer, action in sample:
            explaining = Evaluator(compiled.model, FactBase(facts), as_of, ("transfer", transfer))
            for term in (*workload.ASKED, workload.LOCKUP):
                explaining.derive(*term)
            Evaluator(compiled.model, FactBase(facts), as_of, ("corporate_action", action)).derive(*workload.CAPEX)
    slow = median_time(explaining_loop, 3) * rows / len(sample)
    row("the same with the explaining evaluator", f"{rows / slow:,.0f} sets/s", f"{slow / cov:.0f}x compiled")


def batch_command(rows: int, workers: list[int], cache: str, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        scenarios = Path(folder) / "sweep.jsonl"
        with scenarios.open("w") as out:
            for facts, *_ in generate.fact_sets(rows):  # a row carries facts, not proposed actions
                out.write(generate.as_json(facts) + "\n")
        env = command_env(cache)
        base = [sys.executable, "-m", "interpreter", "batch", "agreements/bti", "--as-of", str(generate.AS_OF),
                "--scenarios", str(scenarios), "--out", str(Path(folder) / "out.csv"),
                "--names", *(".".join(term) for term in workload.ASKED)]
        times: dict[int, list[float]] = {count: [] for count in workers}
        for _ in range(repeat):  # interleaved, so that a slow spell of the machine falls on each alike
            for count in workers:
                times[count].append(process(base + ["--workers", str(count)], env))
        single = None
        for count in workers:
            took = statistics.median(times[count])
            single = single or took
            row(f"`covenant batch` of {rows:,} JSON Lines scenarios, {count} worker{'s' if count > 1 else ''} "
                "(whole process: read, type, evaluate, write)", f"{rows / took:,.0f} rows/s",
                f"{single / took:.2f}x one worker" if count > 1 else "", "near-linear in workers" if count > 1 else "")


# -- growth ----------------------------------------------------------------------------
def growth(scales: list[int], repeat: int) -> None:
    import datetime as dt

    base_took = base_eval = None
    for scale in scales:
        with tempfile.TemporaryDirectory() as folder:
            lines = synthetic.write_deal(Path(folder), scale)
            runs = repeat if scale == 1 else 1  # a large deal is loaded once
            loads = []
            for _ in range(runs):
                start = time.process_time()
                model = load([folder])
                loads.append(time.process_time() - start)
            took = statistics.median(loads)
            date = dt.date.fromisoformat(EXAMPLE_DATE)
            facts = load_facts(EXAMPLE, model)
            compiled = CompiledDeal(model)
            compiled.value(compiled.env(facts, date), *PRICE)
            one = median_time(lambda: compiled.value(compiled.env(facts, date), *PRICE), repeat, 500)
        base_took, base_eval = base_took or took, base_eval or one
        row(f"synthetic deal {scale}x BTI ({lines:,} lines): load / one-name evaluation",
            f"{ms(took)} / {us(one)}", f"load {took / base_took:.1f}x, evaluation {one / base_eval:.1f}x of 1x",
            "load ∝ size; evaluation flat" if scale > 1 else "")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {cpu}; Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer fact sets and runs, smaller synthetic deals")
    parser.add_argument("--rows", type=int, help="generated fact sets (default 100,000; 5,000 with --quick)")
    args = parser.parse_args()
    rows = args.rows or (5_000 if args.quick else 100_000)
    repeat = 3 if args.quick else 5
    print(f"machine: {machine()}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as cache:
        cold_process(repeat, cache)
        load_times(repeat, cache)
        one_fact_base(repeat)
        batch_in_process(rows, repeat)
        batch_command(rows, [1, 2], cache, 1 if args.quick else 3)
        growth([1, 10] if args.quick else [1, 10, 100], repeat)
    width = [max(len(r[i]) for r in ROWS + [("measure", "figure", "comparison", "goal")]) for i in range(4)]
    print(f"Covenant benchmark — {machine()}")
    print(" | ".join(h.ljust(w) for h, w in zip(("measure", "figure", "comparison", "goal"), width, strict=True)))
    print("-|-".join("-" * w for w in width))
    for r in ROWS:
        print(" | ".join(c.ljust(w) for c, w in zip(r, width, strict=True)))


if __name__ == "__main__":
    main()
