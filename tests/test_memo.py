"""The content-keyed memo: fingerprints see every change, pinned frames are hashed once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialkit import memo


@pytest.fixture
def frames():
    rng = np.random.default_rng(1)
    n = 2_000
    tables = {
        "a": pd.DataFrame({
            "id": [f"S{i:05d}" for i in range(n)],
            "x": rng.normal(size=n),
            "y": rng.normal(size=n),
            "k": pd.array(rng.integers(0, 9, n), dtype="Int64"),
        }),
        "b": pd.DataFrame({"v": np.arange(10.0)}),
    }
    yield tables
    memo.unpin()


def _copies(tables):
    return {k: v.copy(deep=False) for k, v in tables.items()}


def test_pinned_frames_and_their_shallow_copies_hash_like_unpinned(frames):
    before = memo.fingerprint(frames)
    for f in frames.values():
        memo.pin(f)
    assert memo.fingerprint(frames) == before
    assert memo.fingerprint(_copies(frames)) == before
    assert memo._COLUMN_DIGESTS  # the digests are kept: copies are not hashed again ...

    def no_hashing(*args, **kwargs):
        raise AssertionError("a pinned column was hashed again")

    mp = pytest.MonkeyPatch()
    mp.setattr(pd.util, "hash_pandas_object", no_hashing)
    try:
        assert memo.fingerprint(_copies(frames)) == before
    finally:
        mp.undo()
    memo.unpin()
    assert not memo._COLUMN_DIGESTS and not memo._PINNED_MEMORY  # ... and released
    assert memo.fingerprint(_copies(frames)) == before


@pytest.mark.parametrize("change", [
    lambda t: t["a"].loc.__setitem__((0, "x"), 99.0),  # one float, in place
    lambda t: t["a"].loc.__setitem__((5, "id"), "Z"),  # one string
    lambda t: t["a"].loc.__setitem__((7, "k"), pd.NA),  # a value becomes missing
    lambda t: t["a"].__setitem__("y", t["a"]["y"] * 2),  # a column replaced
    lambda t: t.__setitem__("a", t["a"].iloc[1:]),  # a row fewer (a view of the same memory)
    lambda t: t.__setitem__("a", t["a"].iloc[:-1]),
    lambda t: t.__setitem__("a", t["a"].rename(columns={"x": "x2"})),
    lambda t: t.__setitem__("a", t["a"].astype({"k": "float64"})),
])
def test_a_changed_copy_of_a_pinned_frame_gets_a_new_fingerprint(frames, change):
    before = memo.fingerprint(frames)
    for f in frames.values():
        memo.pin(f)
    memo.fingerprint(_copies(frames))  # digests now kept
    changed = _copies(frames)
    change(changed)
    assert memo.fingerprint(changed) != before
    # copy-on-write: the pinned frames themselves did not change
    assert memo.fingerprint(frames) == before
    assert memo.fingerprint(_copies(frames)) == before


def test_memoised_keys_on_pinned_content(frames, monkeypatch):
    monkeypatch.setenv("SOCIALKIT_MEMO", "1")
    memo.clear()
    for f in frames.values():
        memo.pin(f)
    calls = []

    def compute(t):
        calls.append(1)
        return float(t["a"]["x"].sum())

    def run(t):
        return memo.memoised(("t", memo.fingerprint(t)), lambda: compute(t))

    first = run(_copies(frames))
    assert run(_copies(frames)) == first and len(calls) == 1
    changed = _copies(frames)
    changed["a"].loc[0, "x"] += 1.0
    assert run(changed) == pytest.approx(first + 1.0) and len(calls) == 2
    memo.clear()


def test_a_kind_of_result_never_pushes_out_another_kind(monkeypatch):
    """A warm report kernel runs maturity, needs, passport and M&E reports in turn; their
    national results (more than eight between them) must all stay: each kind is limited on its
    own, least recently used first."""
    monkeypatch.setenv("SOCIALKIT_MEMO", "1")
    memo.clear()
    calls = []

    def run(kind, n):
        return memo.memoised((kind, n), lambda: calls.append((kind, n)) or (kind, n))

    keys = [(kind, n) for kind in ("index", "clusters", "peers", "pools") for n in range(4)]
    for _ in range(3):  # three municipalities, each report using all of its results
        for kind, n in keys:
            assert run(kind, n) == (kind, n)
    assert len(calls) == len(keys)  # computed once each, never again
    for n in range(4, 4 + memo._MAX_PER_KIND):
        run("index", n)
    assert ("index", 0) not in memo._STORE and ("index", 4 + memo._MAX_PER_KIND - 1) in memo._STORE
    assert all(("pools", n) in memo._STORE for n in range(4))
    assert sum(k[0] == "index" for k in memo._STORE) == memo._MAX_PER_KIND
    memo.clear()


def test_rows_of_is_the_rows_a_comparison_selects_pinned_or_not():
    frame = pd.DataFrame({"m": pd.array(["a", "b", "a", None, "c", "a"], dtype="str"),
                          "v": range(6)}, index=[5, 4, 3, 2, 1, 0])
    expected = {v: np.flatnonzero((frame["m"] == v).to_numpy(dtype=bool, na_value=False))
                for v in ("a", "b", "c", "z")}
    unpinned = {v: memo.rows_of(frame, "m", v) for v in expected}
    memo.pin(frame)
    try:
        copy = frame.copy(deep=False)  # what the data cache hands a report
        pinned = {v: memo.rows_of(copy, "m", v) for v in expected}
        assert memo.rows_of(copy, "m", "a") is pinned["a"]  # the kept index
        changed = copy.assign(m=copy["m"].where(copy["v"] != 0, "b"))  # new content
        assert memo.rows_of(changed, "m", "a").tolist() == [2, 5]
    finally:
        memo.unpin(frame)
        memo.clear()
    for v, rows in expected.items():
        assert unpinned[v].tolist() == pinned[v].tolist() == rows.tolist()
        pd.testing.assert_frame_equal(frame.iloc[pinned[v]], frame.loc[frame["m"] == v])


def test_a_memoised_result_changed_by_a_caller_is_not_changed_for_the_next(monkeypatch):
    """Results are copied in and out shallowly for pandas objects (copy-on-write): whatever a
    caller does to its copy — in place, to an index name, to attrs, to a nested dict — the
    next caller gets the result as computed."""
    from dataclasses import dataclass, field

    @dataclass
    class Result:
        scores: pd.DataFrame
        labels: pd.Series
        extra: dict = field(default_factory=dict)

    monkeypatch.setenv("SOCIALKIT_MEMO", "1")
    memo.clear()

    def compute():
        return Result(pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]}),
                      pd.Series([1, 2], name="k"), {"frames": [pd.DataFrame({"c": [1]})]})

    first = memo.memoised(("private_copy_test",), compute)
    first.scores.loc[0, "a"] = 99.0
    first.scores.index.name = "changed"
    first.scores.attrs["note"] = "changed"
    first.labels.iloc[0] = 7
    first.extra["frames"][0].loc[0, "c"] = 5
    first.extra["new"] = 1
    with pytest.raises(ValueError):  # arrays out of a copy are read-only, as from a deep copy
        first.scores["a"].to_numpy()[0] = 1.0
    second = memo.memoised(("private_copy_test",), compute)
    pd.testing.assert_frame_equal(second.scores, compute().scores)
    assert second.scores.attrs == {} and second.labels.tolist() == [1, 2]
    assert second.extra["frames"][0]["c"].tolist() == [1] and "new" not in second.extra
    memo.clear()


def test_memoised_frames_are_pinned_while_kept(monkeypatch):
    """A result's frames are pinned while the memo keeps it, so fingerprinting or indexing a
    caller's copy is a look-up; forgetting the result unpins them."""
    monkeypatch.setenv("SOCIALKIT_MEMO", "1")
    memo.clear()
    frame = memo.memoised(("pinned_test",), lambda: pd.DataFrame({"m": ["a", "b", "a"]}))
    assert memo._pinned(frame["m"])
    assert memo.rows_of(frame, "m", "a") is memo.rows_of(frame, "m", "a")  # the kept index
    memo.clear()
    assert not memo._pinned(frame["m"])
