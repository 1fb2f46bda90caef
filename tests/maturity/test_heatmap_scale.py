"""At the scale of a country the heatmap shows the municipality and its nearest peers."""

from __future__ import annotations

from socialkit.data.demo import generate_demo
from socialkit.maturity import assess
from socialkit.maturity.report import heatmap_frame, heatmap_peers


def test_heatmap_keeps_the_municipality_and_nearest_same_region_peers():
    tables = generate_demo(60, seed=7)
    result = assess(tables["maturity_responses"], municipalities=tables["municipalities"])
    rnd = "2021-04"
    target = tables["municipalities"]["municipality_id"].iloc[12]
    peers = heatmap_peers(result, rnd, target, max_rows=10)
    assert peers[0] == target and len(peers) == 10 and len(set(peers)) == 10
    region = tables["municipalities"].set_index("municipality_id")["region"]
    same = [p for p in peers[1:] if region[p] == region[target]]
    n_same = int((region == region[target]).sum()) - 1
    assert len(same) == min(9, n_same)  # same oblast first
    frame = heatmap_frame(result, rnd, "en", target, max_rows=10)
    assert frame["municipality"].nunique() == 10
    # small data sets are shown whole
    assert heatmap_frame(result, rnd, "en", max_rows=100)["municipality"].nunique() == len(
        result.scores.loc[result.scores["round"] == rnd, "municipality_id"].unique())
