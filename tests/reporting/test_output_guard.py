"""``socialkit report --out`` goes through the output guard of :mod:`socialkit.files`."""

from __future__ import annotations

import json

import pytest

from socialkit.files import MARKER_NAME, OutputConflictError, claim_folder, record_outputs


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_report_refuses_a_folder_of_other_files(demo_catalog, demo_tables, tmp_path, cli):
    data = tmp_path / "data"
    data.mkdir()
    (data / "catalog.yaml").write_text("version: 2\nentries: {}\n", encoding="utf-8")
    (data / "population.csv").write_text("municipality_id,population\nA,12\n", encoding="utf-8")
    before = _snapshot(data)
    mid = demo_tables["municipalities"]["municipality_id"].iloc[0]
    args = ["report", "maturity", "-m", mid, "--catalog", str(demo_catalog), "--out", str(data),
            "--workers", "1", "-q"]
    code, output = cli(args)
    assert code == 1, output
    assert "Traceback" not in output
    assert "catalog.yaml" in output and "population.csv" in output and "--force" in output
    assert _snapshot(data) == before  # nothing written: no PDF, lock, manifest or marker
    # --force passes the guard (the run then stops at the unknown municipality, cheaply)
    code, output = cli([*args[:3], "no-such-id", *args[4:], "--force"])
    assert code == 1 and "no-such-id" in output and "--force" not in output


def test_claim_folder_allows_new_empty_and_own_folders(tmp_path):
    command = "socialkit report"
    assert claim_folder(tmp_path / "new", command=command) == tmp_path / "new"
    assert claim_folder(tmp_path, command=command) == tmp_path  # empty
    (tmp_path / ".lock").write_text("")
    claim_folder(tmp_path, command=command, ignore=(".lock",))
    (tmp_path / "index.html").write_text("<html></html>")
    with pytest.raises(OutputConflictError, match="index.html"):
        claim_folder(tmp_path, command=command, ignore=(".lock",))
    with pytest.raises(OutputConflictError):  # written by another command
        record_outputs(tmp_path, ["index.html"], command="socialkit passport")
        claim_folder(tmp_path, command=command)
    record_outputs(tmp_path, ["index.html"], command=command)
    claim_folder(tmp_path, command=command)  # a batch wrote here: its next run may too
    marker = json.loads((tmp_path / MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["files"]["index.html"]["command"] == command
    assert claim_folder(tmp_path / "x", command=command, force=True)


def test_a_batch_folder_from_before_the_guard_is_accepted(tmp_path):
    from socialkit.reporting.runner import _earlier_batch

    (tmp_path / "manifest.json").write_text(json.dumps({"run_id": "r1", "reports": []}))
    assert _earlier_batch(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"name": "something else"}))
    assert not _earlier_batch(tmp_path)


def test_an_empty_placeholder_does_not_count(tmp_path):
    """The repository's reports/ holds an empty .gitkeep: `make reports` must write there (it
    was refused on a clean clone); a hidden file with content still counts."""
    (tmp_path / ".gitkeep").write_bytes(b"")
    assert claim_folder(tmp_path, command="socialkit report") == tmp_path
    (tmp_path / ".notes").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputConflictError):
        claim_folder(tmp_path, command="socialkit report")
