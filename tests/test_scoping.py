"""Aggregates shown to a scoped reader do not reveal units outside the scope (adversarial).

The attack from the security review: the maturity radar's peer group (Luhansk, round 2021-04 in
the demo) has three members; a user scoped to two of them computes the third's scores as
``3 × peer mean − own two``. Here the attacker gets every peer average the dashboard would show
them (for each of their municipalities) and tries that formula, differences between groups,
and a least-squares solve of all the sums together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialkit.frameworks.maturity import OVERALL
from socialkit.maturity import assess, report
from socialkit.scoping import aggregate_is_safe, choose_safe, recoverable_units


def test_one_hidden_member_is_recoverable():
    assert recoverable_units([{"A", "B", "C"}], {"A", "B"}) == {"C"}
    assert not aggregate_is_safe({"A", "B", "C"}, {"A", "B"})
    assert aggregate_is_safe({"A", "B", "C"}, {"A", "B", "C"})  # nothing hidden
    assert aggregate_is_safe({"A", "B", "C"}, None)  # reader sees everything


def test_differencing_two_groups_is_caught():
    small, large = {"A", "B", "C", "D"}, {"A", "B", "C", "D", "E"}
    assert aggregate_is_safe(small, {"A", "B"}) and aggregate_is_safe(large, {"A", "B"})
    assert recoverable_units([small, large], {"A", "B"}) == {"E"}
    assert not aggregate_is_safe(large, {"A", "B"}, shown=[small])
    # three overlapping groups whose combination pins one unit: (C+D) + (D+E) - (C+E) = 2D
    groups = [{"A", "C", "D"}, {"A", "D", "E"}, {"A", "C", "E"}]
    assert recoverable_units(groups, {"A"}) == {"C", "D", "E"}
    picked = choose_safe([(g, [(g, {"x": m})]) for g, m in enumerate(groups)], {"A"})
    assert picked == {0: 0, 1: 1, 2: None}


@pytest.fixture(scope="module")
def result(demo_tables):
    return assess(demo_tables["maturity_responses"], municipalities=demo_tables["municipalities"])


def _group_of_three(result):
    b = result.benchmarks
    b = b[(b["peer_group"] == "region") & (b["code"] != OVERALL)]
    sizes = b.groupby(["round", "peer_value"])["municipality_id"].nunique()
    (rnd, region), _ = next(iter(sizes[sizes == 3].items()))
    members = sorted(b[(b["round"] == rnd) & (b["peer_value"] == region)]["municipality_id"]
                     .unique())
    return rnd, members


def _shown_means(result, visible, rnd, use_plan=True):
    """What the dashboard shows a user who sees ``visible``: (group members, code, mean)."""
    plan = report.safe_peer_groups(result, visible, set(visible), {m: rnd for m in visible})
    b = result.benchmarks
    out = []
    for mid in visible:
        group = plan[mid] if use_plan else "auto"
        frame, used = report.safe_radar_frame(result, mid, rnd, "en", set(visible), group)
        if used is None:
            assert frame["peer_mean"].isna().all()
            continue
        mine = b[(b["municipality_id"] == mid) & (b["round"] == rnd) & (b["peer_group"] == used)
                 & (b["code"] != OVERALL)]
        for code, value, mean in zip(mine["code"], mine["peer_value"], frame["peer_mean"],
                                     strict=True):
            members = b[(b["round"] == rnd) & (b["peer_group"] == used) & (b["code"] == code)
                        & (b["peer_value"] == value) & b["score"].notna()]["municipality_id"]
            out.append((frozenset(members), code, mean))
    return out


def _attack(result, shown, visible, rnd):
    """Values of hidden units the attacker pins down exactly: ``{(unit, code): value}``."""
    s = result.benchmarks.drop_duplicates(["municipality_id", "round", "code"])
    s = s[s["round"] == rnd].set_index(["municipality_id", "code"])["score"]
    found = {}
    for code in {c for _, c, _ in shown}:
        rows = [(m, mean) for m, c, mean in shown if c == code and pd.notna(mean)]
        hidden = sorted({u for m, _ in rows for u in m} - set(visible))
        if not hidden:
            continue
        a = np.array([[1.0 if u in m else 0.0 for u in hidden] for m, _ in rows])
        y = np.array([len(m) * mean - sum(s[(v, code)] for v in m if v in visible)
                      for m, mean in rows])
        x = np.linalg.pinv(a) @ y  # least squares over every shown sum
        for u, guess in zip(hidden, x, strict=True):
            if abs(guess - s[(u, code)]) < 1e-6:
                found[(u, code)] = guess
        for m, total in zip((m for m, _ in rows), y, strict=True):  # "3 × mean − own two"
            rest = [u for u in m if u not in visible]
            if len(rest) == 1 and abs(total - s[(rest[0], code)]) < 1e-6:
                found[(rest[0], code)] = total
    return found


def test_peer_mean_attack_recovers_nothing(result):
    rnd, members = _group_of_three(result)
    visible = members[:2]
    b = result.benchmarks
    # The threat is real: the old rule (two other members) showed this group's mean, and the
    # attack recovers the third member's scores from it exactly.
    row = b[(b["municipality_id"] == visible[0]) & (b["round"] == rnd)
            & (b["peer_group"] == "region")]
    assert (row["n_peers"] - 1 >= report.MIN_PEERS).all()
    unprotected = [(frozenset(members), c, mean) for c, mean in zip(row["code"], row["peer_mean"],
                                                                    strict=True)
                   if c != OVERALL]
    assert {u for u, _ in _attack(result, unprotected, visible, rnd)} == {members[2]}
    # What the dashboard (and the PDF, same function) shows now: nothing recoverable.
    shown = _shown_means(result, visible, rnd)
    assert _attack(result, shown, visible, rnd) == {}
    assert all(len(m - set(visible)) == 0 or len(m - set(visible)) >= 2 for m, _, _ in shown)
    # each radar alone (the PDF's rule, visible = what the report shows) is safe too
    assert _attack(result, _shown_means(result, visible, rnd, use_plan=False)[:6], visible,
                   rnd) == {}


def test_unscoped_reader_keeps_the_regional_average(result):
    rnd, members = _group_of_three(result)
    frame, group = report.safe_radar_frame(result, members[0], rnd, "en")
    assert group == "region" and frame["peer_mean"].notna().all()
    # a reader who sees the whole group learns nothing new from its mean
    frame, group = report.safe_radar_frame(result, members[0], rnd, "en", set(members))
    assert group == "region"


def test_pdf_radar_withholds_an_unsafe_average(result):
    rnd, members = _group_of_three(result)
    b = result.benchmarks
    everyone = set(b["municipality_id"])
    # A report that shows only two of the three by name cannot print their region's mean.
    frame, group = report.safe_radar_frame(result, members[0], rnd, "en",
                                           visible=set(members[:2]))
    assert group != "region"
    assert group is None or len(
        set(b[(b["peer_group"] == group) & (b["round"] == rnd)]["municipality_id"])
        - set(members[:2])) >= 2
    frame, group = report.safe_radar_frame(result, members[0], rnd, "en", visible=everyone)
    assert group == "region"


def test_printed_radar_averages_only_over_municipalities_the_report_names(result):
    """The PDF's reader sees the municipalities its heatmap names: with room for two rows, a
    report on one of three oblast members names only two, so it cannot print their oblast's
    mean (the third member's scores would follow); with room for all it can."""
    rnd, members = _group_of_three(result)
    frame, group, label = report.printed_radar(result, members[0], rnd, "en")
    assert group == "region" and frame["peer_mean"].notna().all() and label
    named = set(report.heatmap_peers(result, rnd, members[0], 2))
    assert len(named & set(members)) == 2
    frame, group, label = report.printed_radar(result, members[0], rnd, "en", max_rows=2)
    expected = report.safe_radar_frame(result, members[0], rnd, "en", visible=named)
    assert group != "region" and group == expected[1]
    pd.testing.assert_frame_equal(frame, expected[0])
    assert (label == "") == (group is None)
    if group is None:
        assert frame["peer_mean"].isna().all()


def test_oblast_rate_attack_recovers_no_count(demo_tables):
    """Passport: a user who sees all but one municipality of an oblast subtracts their counts
    from the oblast's pooled count (rate × pooled base / 1000)."""
    from socialkit.frameworks.passport import read_passport_spec
    from socialkit.passport import build_passport
    from socialkit.passport.rates import municipal_pools

    mun = demo_tables["municipalities"]
    region = mun["region"].value_counts().idxmin()
    members = sorted(mun.loc[mun["region"] == region, "municipality_id"])
    visible, target = members[:-1], members[-1]
    spec = read_passport_spec()
    pools = municipal_pools(demo_tables["settlements"], demo_tables["passport_values"], spec)

    def recovered(passports, year):
        found = set()
        for p in passports:
            for ind, rate in zip(p.profile["indicator_id"], p.profile["region_rate"],
                                 strict=True):
                if pd.isna(rate):
                    continue
                rows = pools[(pools["year"] == year) & (pools["indicator_id"] == ind)
                             & pools["municipality_id"].isin(members)].set_index(
                                 "municipality_id")
                total = float(rate) * rows["base"].sum() / spec.per
                guess = total - rows.loc[rows.index.isin(visible), "numerator"].sum()
                if target in rows.index and abs(guess - rows.loc[target, "numerator"]) < 1e-6:
                    found.add(ind)
        return found

    open_ = [build_passport(demo_tables, m, visible=None) for m in visible]
    year = open_[0].year
    assert recovered(open_, year), "the attack should work on unprotected rates"
    scoped = [build_passport(demo_tables, m, visible=visible) for m in visible]
    assert recovered(scoped, year) == set()
    assert scoped[0].profile["region_rate"].isna().all()
    # the default reader of a passport (its own municipality) keeps the oblast's rate
    assert build_passport(demo_tables, visible[0]).profile["region_rate"].notna().any()


# -- needs page: cluster profiles and ranks (aggregates over settlements) --------------------

@pytest.fixture(scope="module")
def needs_data(demo_tables):
    from socialkit.views import from_frames

    return from_frames(demo_tables, name="demo")


def _needs_page(data, visible):
    from socialkit.views import create_app

    app = create_app(data=data, users={"eve": list(visible)}, user="eve",
                     query={"page": [b"needs"]})
    return app.page("needs")


def _one_hidden_settlement_scope(data, clusters):
    """A scope (every municipality but one) leaving exactly one hidden settlement in a cluster."""
    st = data.table("settlements").set_index("settlement_id")["municipality_id"]
    counts = clusters.labels.groupby(st.reindex(clusters.labels.index).to_numpy()).value_counts()
    (hide, cluster) = next(k for k, n in counts.items() if n == 1)
    visible = [m for m in data.municipality_ids if m != hide]
    hidden = set(clusters.labels.index[st.reindex(clusters.labels.index).to_numpy() == hide])
    return visible, hidden, cluster


def _profile_attack(clusters, shown, z, visible_units):
    """Settlements whose z-scores the attacker pins down exactly from the shown profiles and
    sizes (knowing every visible settlement's z-scores, and that z sums to 0 over all)."""
    everyone = set(z.index)
    hidden = sorted(everyone - visible_units)
    rows, rhs = [], []
    groups = [(everyone, np.zeros(z.shape[1]), len(everyone))]
    for c in shown.profiles.index:
        prof = shown.profiles.loc[c].to_numpy(dtype=float)
        if np.isnan(prof).all():
            continue
        members = set(clusters.labels.index[clusters.labels.to_numpy() == c])
        # the size the page shows (an attacker also tries the true size)
        for n in {int(shown.sizes.loc[c]), len(members)}:
            groups.append((members, prof, n))
    for members, mean, n in groups:
        rows.append([1.0 if u in members else 0.0 for u in hidden])
        rhs.append(n * mean - z.loc[sorted(members & visible_units)].sum().to_numpy())
    solution = np.linalg.pinv(np.array(rows)) @ np.array(rhs)
    return {u for u, guess in zip(hidden, solution, strict=True)
            if np.allclose(guess, z.loc[u].to_numpy(), atol=1e-6)}


def test_needs_cluster_profiles_reveal_no_hidden_settlement(needs_data):
    from socialkit.views.needs import _clusters

    clusters = needs_data.computed("needs.clusters", _clusters)
    z = clusters.data  # the z-scores the profiles average (no reduction in the demo)
    assert np.allclose(z.groupby(clusters.labels).mean().to_numpy(),
                       clusters.profiles.to_numpy())
    visible, hidden, cluster = _one_hidden_settlement_scope(needs_data, clusters)
    visible_units = set(z.index) - hidden
    # The threat is real: the unscoped profiles and sizes give the one hidden settlement of
    # that cluster back exactly (size × profile − the visible members' z-scores).
    assert _profile_attack(clusters, clusters, z, visible_units) >= {
        u for u in hidden if clusters.labels[u] == cluster}
    shown = _needs_page(needs_data, visible)._cluster_result()
    assert _profile_attack(clusters, shown, z, visible_units) == set()
    # sizes count only the settlements the user sees
    mine = clusters.labels[clusters.labels.index.isin(visible_units)]
    assert shown.sizes.to_dict() == mine.value_counts().to_dict()
    # the other cluster alone is safe, but with the zero sum of z-scores it gives the hidden
    # settlement back too, so it is withheld as well
    other = next(c for c in clusters.profiles.index if c != cluster)
    members = set(clusters.labels.index[clusters.labels.to_numpy() == other])
    assert aggregate_is_safe(members, visible_units)
    assert recoverable_units([set(z.index), members], visible_units) & hidden
    assert shown.profiles.isna().all(axis=None)
    # a user scoped to two municipalities still sees every profile (nothing recoverable)
    two = _needs_page(needs_data, needs_data.municipality_ids[:2])._cluster_result()
    assert two.profiles.notna().all(axis=None)
    st = needs_data.table("settlements")
    seen = set(st.loc[st["municipality_id"].isin(needs_data.municipality_ids[:2]),
                      "settlement_id"])
    assert _profile_attack(clusters, two, z, seen & set(z.index)) == set()


def test_needs_ranks_are_among_visible_settlements(needs_data):
    from socialkit.views.needs import _vulnerability

    full = needs_data.computed("needs.vulnerability", _vulnerability)
    visible = needs_data.municipality_ids[:2]
    top = full.top
    mine = full.scores[full.scores["municipality_id"].isin(visible)]
    # The threat: a rank among all settlements minus the rank among one's own counts the
    # hidden settlements scoring higher (their positions between one's own scores).
    own_rank = mine[top].rank(method="min", ascending=False)
    assert (mine[f"{top}_rank"].astype(float) - own_rank).max() > 0
    result = _needs_page(needs_data, visible)._result()
    s = result.scores
    assert set(s["municipality_id"]) == set(visible)
    leaked = s[f"{top}_rank"].astype(float) - s[top].rank(method="min", ascending=False)
    assert (leaked.dropna() == 0).all()
    assert s.loc[s[top].isna(), f"{top}_rank"].isna().all()
    assert not {"median_rank", "q05_rank", "q95_rank"} & set(s.columns)
    assert result.uncertainty is None
