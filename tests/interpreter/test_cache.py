"""The on-disk cache of checked deals: a second load neither parses nor checks, a
changed file or a damaged entry is never used, and the cold path of `eval` imports
neither Lark nor networkx nor prompt_toolkit."""
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dsl.errors import Findings
from interpreter.static import cache

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests/fixtures/good/loan.cov"


@pytest.fixture
def deal_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "deal"
    folder.mkdir()
    shutil.copy(GOOD, folder / "loan.cov")
    return folder


def _entries(tmp_path):
    return sorted((tmp_path / "cache" / "covenant").glob("*.pickle"))


def test_second_load_comes_from_the_cache(deal_dir, tmp_path, monkeypatch):
    _, model, key = cache.checked_deal([str(deal_dir)])
    assert [p.name for p in _entries(tmp_path)] == [f"{key}.pickle"]

    def no_parsing(paths):
        raise AssertionError("parsed again")
    monkeypatch.setattr(cache, "load_deal", no_parsing)
    _, cached_model, same_key = cache.checked_deal([str(deal_dir)])
    assert same_key == key
    assert list(cached_model.scopes) == list(model.scopes)
    assert cached_model.inputs_deciding("loan.interest") == model.inputs_deciding("loan.interest")
    assert set(cached_model.graph.edges) == set(model.graph.edges)  # rebuilt on first use


def test_a_changed_file_is_a_new_key(deal_dir):
    first = cache.checked_deal([str(deal_dir)])[2]
    path = deal_dir / "loan.cov"
    path.write_text(path.read_text() + "\n# a comment\n")
    assert cache.checked_deal([str(deal_dir)])[2] != first


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps(("another key", 42))])
def test_a_corrupt_or_foreign_entry_is_ignored_and_rebuilt(deal_dir, tmp_path, damage):
    key = cache.checked_deal([str(deal_dir)])[2]
    (tmp_path / "cache" / "covenant" / f"{key}.pickle").write_bytes(damage)
    model = cache.checked_deal([str(deal_dir)])[1]
    assert "loan" in model.scopes
    assert cache.read_entry(key) is not None  # written again


def test_errors_are_never_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bad = tmp_path / "bad.cov"
    bad.write_text(GOOD.read_text().replace("principal * rate", "principl * rate", 1))
    for _ in range(2):
        with pytest.raises(Findings):
            cache.checked_deal([str(bad)])
    assert _entries(tmp_path) == []


def test_an_unwritable_cache_is_skipped(deal_dir, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file, not a folder
    assert "loan" in cache.checked_deal([str(deal_dir)])[1].scopes


def test_the_cache_can_be_turned_off(deal_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("COVENANT_CACHE", "off")
    cache.checked_deal([str(deal_dir)])
    assert _entries(tmp_path) == []


def test_eval_from_the_cache_imports_no_parser_graph_library_terminal_toolkit_or_other_command(tmp_path):
    probe = ("import sys\nfrom interpreter.cli.main import main\n"
             "sys.argv = ['covenant', 'eval', 'agreements/bti', '--facts', "
             "'agreements/bti/examples/series-a-2007-redemption-demand.yaml', '--as-of', '2007-05-01', "
             "'series_a_redemption.redemption_price']\n"
             "code = main()\n"
             "print(code, sorted(m for m in ('lark', 'networkx', 'prompt_toolkit', 'interpreter.batch.job',"
             " 'interpreter.cli.commands') if m in sys.modules))\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                           check=False)
            for _ in range(2)]
    assert runs[0].stdout.splitlines()[-1] == "0 ['lark', 'networkx']"  # the first run parses and checks
    assert runs[1].stdout.splitlines()[-1] == "0 []"
    assert runs[0].stdout.splitlines()[:-1] == runs[1].stdout.splitlines()[:-1]
