"""The build cache's files appear whole or not at all (site_builder/cache.py): a build that is
killed mid-write, or two builds sharing .build-cache, never leave or read half an entry."""
from __future__ import annotations

import os

from site_builder.cache import TMP, cached, store, write_whole


def test_a_file_is_written_under_a_name_of_this_process_then_renamed(tmp_path, monkeypatch):
    seen = []
    real = type(tmp_path).replace

    def replace(self, target):
        seen.append((self.name, target.exists()))        # the entry is not there while it is written
        return real(self, target)
    monkeypatch.setattr(type(tmp_path), "replace", replace)
    write_whole(tmp_path / "deep" / "entry.json", b"{}")
    assert seen == [(f".entry.json.{os.getpid()}{TMP}", False)]
    assert (tmp_path / "deep" / "entry.json").read_bytes() == b"{}"
    assert [p.name for p in (tmp_path / "deep").iterdir()] == ["entry.json"]


def test_replacing_stale_entries_spares_what_another_build_is_writing(tmp_path):
    (tmp_path / "old.gz").write_bytes(b"old")
    writing = tmp_path / f".other.gz.{os.getpid() + 1}{TMP}"
    writing.write_bytes(b"half")
    store(tmp_path / "new.gz", b"new", "*")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["new.gz", writing.name])


def test_a_cached_entry_is_made_once(tmp_path):
    made = []
    for _ in range(2):
        assert cached(tmp_path / "a.bin", "*.bin", lambda: made.append(1) or b"data") == b"data"
    assert made == [1]
