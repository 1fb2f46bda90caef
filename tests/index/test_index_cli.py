import pandas as pd
import pytest


@pytest.fixture
def files(tmp_path, idata, imeta):
    d, m = tmp_path / "iData.csv", tmp_path / "iMeta.csv"
    idata.to_csv(d, index=False)
    imeta.to_csv(m, index=False)
    return d, m


def test_build_writes_every_stage(tmp_path, files, asem, cli):
    d, m = files
    spec = tmp_path / "spec.yaml"
    spec.write_text("steps:\n  - denominate: {}\n  - impute: {method: mean_group, group: grp}\n"
                    "  - screen: {threshold: 0.5}\n  - treat: {}\n  - normalise: {}\n"
                    "  - aggregate: {method: amean}\n")
    out = tmp_path / "out"
    r = cli("index", "build", "--data", d, "--meta", m, "--spec", spec, "--out", out)
    assert r.code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["denominated.csv", "imputed.csv", "screened.csv", "treated.csv",
                            "normalised.csv", "aggregated.csv", "results.csv", "treatment.csv",
                            "spec.yaml", ".socialkit-outputs.json"])
    agg = pd.read_csv(out / "aggregated.csv")
    assert agg.columns.tolist() == ["uCode", "a", "b", "c", "d", "P1", "P2", "Index"]
    res = pd.read_csv(out / "results.csv")
    assert {"Index", "Index_rank", "P1_rank"} <= set(res.columns)
    # full float precision: values round-trip exactly
    from socialkit.index import Spec, build

    ref = build(pd.read_csv(d), pd.read_csv(m), Spec.from_yaml(spec))
    assert (agg["P1"].to_numpy() == ref.stages["aggregated"]["P1"].to_numpy()).all()


def test_only_treat_writes_treated(tmp_path, files, cli):
    d, m = files
    spec = tmp_path / "s.yaml"
    spec.write_text("steps:\n  - treat: {}\n")
    out = tmp_path / "o"
    assert cli("index", "build", "--data", d, "--meta", m, "--spec", spec, "--out", out).code == 0
    assert sorted(p.name for p in out.iterdir()) == [".socialkit-outputs.json", "results.csv", "spec.yaml", "treated.csv",
                                                     "treatment.csv"]


def test_bad_meta_clear_error_nothing_written(tmp_path, files, imeta, cli):
    d, _ = files
    bad = imeta.copy()
    bad.loc[5, "Parent"] = "Indx"
    m = tmp_path / "bad.csv"
    bad.to_csv(m, index=False)
    out = tmp_path / "out"
    r = cli("index", "build", "--data", d, "--meta", m, "--out", out)
    code, err = r.code, r.err
    assert code == 1
    assert "bad.csv, row 7, column 'Parent': Parent 'Indx' of 'P2' does not exist" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_bad_spec_key_clear_error(tmp_path, files, cli):
    d, m = files
    spec = tmp_path / "s.yaml"
    spec.write_text("steps:\n  - normalise: {method: minmaxx}\n")
    r = cli("index", "build", "--data", d, "--meta", m, "--spec", spec, "--out", tmp_path / "o")
    assert r.code == 1
    assert "key 'steps[0].normalise.method'" in r.err


def test_uncertainty_command(tmp_path, files, cli):
    d, m = files
    vary = tmp_path / "vary.yaml"
    vary.write_text("normalise: [minmax, rank]\nweights: {noise: 0.2}\n")
    spec = tmp_path / "s.yaml"
    spec.write_text("steps:\n  - normalise: {}\n  - aggregate: {}\n")
    out = tmp_path / "ua"
    r = cli("index", "uncertainty", "--data", d, "--meta", m, "--spec", spec, "--vary", vary,
            "--out", out, "--n", 10, "--sensitivity", "--n-boot", 50)
    assert r.code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == [".socialkit-outputs.json", "indices.csv", "ranks.csv", "runs.csv",
                                                     "summary.csv"]
    assert len(pd.read_csv(out / "runs.csv")) == 10 * 4
    s = pd.read_csv(out / "summary.csv")
    assert s["uCode"].tolist() == ["U1", "U2", "U3", "U4"]
    assert set(pd.read_csv(out / "indices.csv")["input"]) == {"normalise", "weights"}


def test_uncertainty_bad_vary(tmp_path, files, cli):
    d, m = files
    vary = tmp_path / "vary.yaml"
    vary.write_text("normalise: [minmax, minimax]\n")
    r = cli("index", "uncertainty", "--data", d, "--meta", m, "--vary", vary,
            "--out", tmp_path / "o", "--n", 5)
    assert r.code == 1
    assert "vary.yaml, key 'normalise[1]': unknown method 'minimax'" in r.err
    assert not (tmp_path / "o").exists()
