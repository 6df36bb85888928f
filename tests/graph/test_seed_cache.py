"""The seed cache: a second command reads the validated records from the cache, and the cache
never answers for data or code that has changed, never hides bad data, and never breaks a
command when it is damaged or cannot be written."""

import shutil

import pytest

import graph.seed_cache as seed_cache
from graph.errors import LoadError
from graph.loader import DEFAULT_SEED_DIR, load_dir
from graph.resolve.tables import NameTables, load_name_tables
from graph.seed_cache import cache_path, cached, load_seed


@pytest.fixture
def seed(tmp_path):
    copy = tmp_path / "seed"
    shutil.copytree(DEFAULT_SEED_DIR, copy)
    return copy


def _refuse_to_read(root):
    raise AssertionError(f"read the seed files at {root} instead of the cache")


def test_a_second_load_comes_from_the_cache_with_the_same_records(seed, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = load_seed(seed, cache)
    assert cache_path("seed", seed, cache).is_file()
    monkeypatch.setattr(seed_cache, "load_dir", _refuse_to_read)
    second = cached("seed", seed_cache.load_dir, type(first), seed, cache)
    assert second.nodes == first.nodes
    assert second.edges == first.edges
    assert second.origins == first.origins
    assert second.graph().stats() == load_dir(seed).graph().stats()


def test_an_edited_seed_file_is_read_again_not_taken_from_the_cache(seed, tmp_path):
    cache = tmp_path / "cache"
    before = load_seed(seed, cache)
    regions = seed / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8").replace(
        "North West", "North Western"), encoding="utf-8")
    after = load_seed(seed, cache)
    names = {n.id: n.name for n in after.nodes}
    assert names["E12000002"] == "North Western"
    assert {n.id: n.name for n in before.nodes}["E12000002"] == "North West"


def test_a_changed_graph_module_does_not_meet_an_old_entry(seed, tmp_path, monkeypatch):
    package = tmp_path / "graph"
    shutil.copytree(seed_cache._GRAPH_PACKAGE, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(seed_cache, "_GRAPH_PACKAGE", package)
    old = cache_path("seed", seed, tmp_path / "cache")
    (package / "schema.py").write_text("# a new version\n", encoding="utf-8")
    assert cache_path("seed", seed, tmp_path / "cache") != old


def test_a_damaged_entry_is_a_miss_and_is_written_again(seed, tmp_path):
    cache = tmp_path / "cache"
    load_seed(seed, cache)
    entry = cache_path("seed", seed, cache)
    entry.write_bytes(b"\x80\x05not a pickle at all")
    data = load_seed(seed, cache)
    assert len(data.nodes) == len(load_dir(seed).nodes)
    assert load_seed(seed, cache).nodes == data.nodes
    assert entry.read_bytes()[:2] != b"\x80\x05n"


def test_an_entry_of_the_wrong_kind_is_a_miss(seed, tmp_path):
    cache = tmp_path / "cache"
    tables = cached("names", load_name_tables, NameTables, seed, cache)
    # A pickle that loads but holds something else (a stale or foreign file).
    shutil.copy(cache_path("names", seed, cache), cache_path("seed", seed, cache))
    assert isinstance(tables, NameTables)
    assert len(load_seed(seed, cache).nodes) == len(load_dir(seed).nodes)


def test_a_cache_folder_that_cannot_be_written_still_loads(seed, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    data = load_seed(seed, blocked / "cache")
    assert len(data.nodes) == len(load_dir(seed).nodes)
    assert blocked.read_text(encoding="utf-8").startswith("a file")


def test_bad_seed_data_raises_as_before_and_caches_nothing(seed, tmp_path):
    cache = tmp_path / "cache"
    regions = seed / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8") + "E12000099,\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_seed(seed, cache)
    assert "regions.csv" in str(err.value)
    assert not cache.exists() or not list(cache.glob("*.pickle"))


def test_only_the_newest_entries_are_kept(seed, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setattr(seed_cache, "KEEP", 2)
    for label in ("one", "two", "three"):
        (seed / "stages.yaml").write_text(
            (DEFAULT_SEED_DIR / "stages.yaml").read_text(encoding="utf-8") + f"# {label}\n",
            encoding="utf-8")
        load_seed(seed, cache)
    assert len(list(cache.glob("seed-*.pickle"))) == 2
    assert cache_path("seed", seed, cache).is_file()
