import pytest

from socialkit.errors import FrameworkError
from socialkit.index import Spec

YAML = """
steps:
  - denominate: {}
  - impute: {method: mean_group, group: EurAsia_group}
  - screen: {threshold: 0.9}
  - treat: {winmax: 5}
  - normalise: {method: minmax, range: [0, 100]}
  - aggregate: {method: amean}
"""


def test_issue_example_parses_and_round_trips(tmp_path):
    spec = Spec.from_yaml(YAML)
    assert spec.step_names == ("denominate", "impute", "screen", "treat", "normalise",
                               "aggregate")
    assert spec.params("impute").group == "EurAsia_group"
    assert spec.params("screen").threshold == 0.9
    p = tmp_path / "s.yaml"
    p.write_text(spec.to_yaml())
    assert Spec.from_yaml(p) == spec


@pytest.mark.parametrize(("text", "key"), [
    ("steps:\n  - normalize: {}", "steps[0]"),
    ("steps:\n  - treat: {}\n  - normalise: {method: minimax}", "steps[1].normalise.method"),
    ("steps:\n  - treat: {winmx: 3}", "steps[0].treat.winmx"),
    ("steps:\n  - impute: {method: mean_group}", "steps[0].impute"),
    ("steps:\n  - aggregate: {dat_thresh: 1.5}", "steps[0].aggregate.dat_thresh"),
    ("steps:\n  - weights: {set: w2}", "steps[0].weights.set"),
    ("stepz: []", "stepz"),
])
def test_bad_spec_names_key(text, key):
    with pytest.raises(FrameworkError) as exc:
        Spec.from_yaml(text)
    assert f"key '{key}'" in str(exc.value)


def test_global_alias_and_weight_sets():
    spec = Spec.from_dict({"steps": [{"normalise": {"global": True}}, {"weights": {"set": "w"}},
                                     {"aggregate": {}}], "weight_sets": {"w": {"a": 2}}})
    assert spec.params("normalise").global_ is True
    assert Spec.from_dict(spec.to_dict()) == spec


def test_aggregate_method_mapping_from_yaml():
    spec = Spec.from_yaml("steps:\n  - aggregate: {method: {default: amean, 3: gmean}}")
    assert spec.params("aggregate").method == {"default": "amean", "3": "gmean"}
    with pytest.raises(FrameworkError, match=r"key 'steps\[0\].aggregate.method'"):
        Spec.from_yaml("steps:\n  - aggregate: {method: {default: amaen}}")
