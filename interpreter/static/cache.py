"""The on-disk cache of checked deals, so that a second run neither parses nor checks.

An entry is the pickled (deal, checked model), keyed by the content of every `.cov`
file (with its path, which spans and messages name) and by the Covenant version — the
release number and a fingerprint of the interpreter's own source files, so that a
changed interpreter never reads a model built by another. The versions of the deal in
force on a date (restatements and amendments applied) are cached beside it, each
keyed by which agreements and amendments it holds.

Entries live in `$XDG_CACHE_HOME/covenant` (default `~/.cache/covenant`), are written
atomically (a temporary file renamed into place) and are only ever an optimisation:
an entry that cannot be read, is corrupt or belongs to another key is ignored and
rebuilt, and a cache that cannot be written is skipped. `COVENANT_CACHE=off` turns it
off."""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import interpreter
from dsl.limits import COV_FILE_BYTES
from interpreter.static import collector
from interpreter.static.deal import Deal, cov_files, load_deal, sibling_files
from interpreter.static.model import Model, check_deal, compile_deal

_KEEP = 64  # entries kept; the oldest beyond this are removed when one is written
_CODE_ROOTS = ("dsl", "interpreter")

# The command line sets this: its process ends with its command, so what an entry
# loads is moved out of the cycle collector's reach (`gc.freeze`) rather than walked
# by every later collection. A long-lived process (tests, the REPL) leaves it off,
# since freezing also keeps whatever garbage exists at that moment.
freeze_loaded = False


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is turned off."""
    if os.environ.get("COVENANT_CACHE", "").lower() in ("off", "0", "no"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "covenant"


def _code_fingerprint() -> str:
    """The release and the size and time of every source file of the interpreter."""
    root = os.path.dirname(os.path.dirname(os.path.realpath(interpreter.__file__)))
    digest = hashlib.sha256(interpreter.__version__.encode())
    for package in _CODE_ROOTS:
        for relative, stat in sorted(_source_files(root, package)):
            digest.update(f"{relative}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _source_files(root: str, folder: str):
    """(path relative to `root`, stat) of the .py and .lark files under `folder`,
    walked with os.scandir: it runs on every command, and pathlib's walk costs more
    than the rest of a cached load's bookkeeping together."""
    with os.scandir(os.path.join(root, folder)) as entries:
        for entry in entries:
            relative = f"{folder}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    yield from _source_files(root, relative)
            elif entry.name.endswith((".py", ".lark")):
                yield relative, entry.stat()


def deal_key(paths: list[str]) -> tuple[str, list[tuple[Path, bytes]]]:
    """The key of the deal the paths name, and the files read to make it."""
    digest = hashlib.sha256(_code_fingerprint().encode())
    files = []
    named = cov_files(paths)
    # The files beside a file named are in the key too (an agreement it refers to may be
    # loaded from them), marked apart: a file named and the same file found beside are
    # different deals.
    beside = [p for p in sibling_files(paths) if p not in named]
    for role, group in ((b"named", named), (b"beside", beside)):
        for path in group:
            try:
                with open(path, "rb") as stream:  # a file too large for the limit is refused by loading it
                    content = stream.read(COV_FILE_BYTES + 1)
            except OSError:
                content = b""  # unreadable: loading it reports the problem
            files.append((path, content))
            digest.update(role + b"\0" + str(path).encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest(), files


def version_signature(version: Deal) -> str:
    """Which agreements a version of a deal holds and which amendments it applied."""
    parts = sorted((aid, tuple(a.amended_by), bool(a.patches)) for aid, a in version.agreements.items())
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def read_entry(name: str) -> object | None:
    """The object stored under `name`, or None when there is none that can be read."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        data = (directory / f"{name}.pickle").read_bytes()
    except OSError:
        return None
    with collector.paused():  # unpickling without the collector takes a quarter of the time
        try:
            stored_name, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 -- a corrupt or foreign entry, whatever it raises, is only a miss
            return None
        finally:
            if freeze_loaded:
                gc.freeze()
    return value if stored_name == name else None


def write_entry(name: str, value: object) -> None:
    """Store `value` under `name` atomically; a cache that cannot be written is skipped."""
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps((name, value), protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, directory / f"{name}.pickle")
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(directory)
    except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError):
        return


def _prune(directory: Path) -> None:
    entries = sorted(directory.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[_KEEP:]:
        stale.unlink(missing_ok=True)


def checked_deal(paths: list[str]) -> tuple[Deal, Model, str]:
    """The deal the paths name, checked (`check_deal`), from the cache when it holds
    it; and its key, for `version_compiler`. Errors are never cached: a deal with
    findings is parsed and checked again on every run, and reports them."""
    key, _ = deal_key(paths)
    cached = read_entry(key)
    if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[1], Model):
        return cached[0], cached[1], key
    with collector.paused():
        deal = load_deal(paths)
        model = check_deal(deal)
    write_entry(key, (deal, model))
    return deal, model, key


def version_compiler(key: str):
    """A stand-in for `compile_deal` for versions of the deal under `key`, cached."""
    def compile_version(version: Deal) -> Model:
        name = f"{key}-{version_signature(version)}"
        cached = read_entry(name)
        if isinstance(cached, Model):
            return cached
        with collector.paused():
            model = compile_deal(version)
        write_entry(name, model)
        return model
    return compile_version
