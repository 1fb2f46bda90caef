"""The indicator framework file: shipped content and refusal of bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from socialkit.errors import FrameworkError
from socialkit.frameworks.indicators import load_framework

HERE = Path(__file__).resolve().parent


def test_shipped_framework():
    fw = load_framework()
    assert 10 <= len(fw.indicators) <= 14
    assert {i.level for i in fw.indicators} == {"impact", "outcome", "output"}
    assert {i.factor for i in fw.indicators} == {1, 100, 1000}
    assert {i.direction for i in fw.indicators} == {"higher", "lower"}
    assert {i.aggregation.time for i in fw.indicators} == {"sum", "average", "last"}
    assert fw.indicator("waiting_list").aggregation.time == "last"  # a stock is never summed
    assert fw.indicator("staff_trained").target_type == "cumulative"
    assert any(r.id == "served_le_registered" for r in fw.validation_rules)
    assert all(i.name.uk and i.name.en for i in fw.indicators)


def _write(tmp_path, fn) -> Path:
    raw = yaml.safe_load((HERE / "tiny_framework.yaml").read_text(encoding="utf-8"))
    fn(raw)
    path = tmp_path / "fw.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit, key, words", [
    (lambda r: r["indicators"][0].update(numerator="nothing"), None, "unknown data element"),
    (lambda r: r["indicators"][0]["aggregation"].update(space="last"),
     "indicators[0].aggregation.space", "sum"),
    (lambda r: r["indicators"][1].update(denominator="registered"), "indicators[1]",
     "no denominator"),
    (lambda r: r["indicators"][0].update(factor=10), "indicators[0].factor", ""),
    (lambda r: r["status_thresholds"].update(at_risk=0.95), "status_thresholds", "exceed"),
    (lambda r: r["validation_rules"][0].update(right="ghost"), None, "ghost"),
])
def test_bad_framework_names_the_key(tmp_path, edit, key, words):
    with pytest.raises(FrameworkError) as exc:
        load_framework(_write(tmp_path, edit))
    msg = str(exc.value)
    assert "fw.yaml" in msg and words in msg
    if key:
        assert exc.value.key == key


def test_unreadable_framework(tmp_path):
    with pytest.raises(FrameworkError, match="missing.yaml: file not found"):
        load_framework(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [", encoding="utf-8")
    with pytest.raises(FrameworkError, match="not valid YAML"):
        load_framework(bad)
