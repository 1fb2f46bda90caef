import pandas as pd
import pytest

from socialkit.errors import DataValidationError
from socialkit.index import build, read_imeta, validate_meta
from socialkit.index.meta import framework


def _msg(exc) -> str:
    return str(exc.value)


def test_framework_tree(imeta):
    fw = framework(validate_meta(imeta))
    assert fw.indicators == ("a", "b", "c", "d")
    assert fw.children == {"P1": ("a", "b"), "P2": ("c", "d"), "Index": ("P1", "P2")}
    assert fw.n_levels == 3
    assert fw.denominators == {"b": "pop"}


def test_missing_parent_names_row(imeta):
    bad = imeta.copy()
    bad.loc[2, "Parent"] = "Nope"
    with pytest.raises(DataValidationError) as exc:
        validate_meta(bad, source="meta.csv")
    assert "meta.csv, row 4, column 'Parent'" in _msg(exc)
    assert "'Nope'" in _msg(exc)


def test_cycle_reported(imeta):
    bad = imeta.copy()
    bad.loc[4, "Parent"] = "P2"   # P1 -> P2 (same level) ...
    bad.loc[4, "Level"] = 2
    bad.loc[5, "Parent"] = "P1"
    with pytest.raises(DataValidationError) as exc:
        validate_meta(bad)
    assert "row 6" in _msg(exc) and "row 7" in _msg(exc)


def test_true_cycle_detected():
    meta = pd.DataFrame({"iCode": ["x", "A", "B"], "Level": [1, 2, 3],
                         "Parent": ["A", "B", "A"],
                         "Type": ["Indicator", "Aggregate", "Aggregate"]})
    with pytest.raises(DataValidationError) as exc:
        validate_meta(meta)
    assert _msg(exc).count("cycle") == 1
    assert "row 3, column 'Parent': cycle in Parent links: A → B → A" in _msg(exc)


def test_indicator_without_data(imeta, idata):
    with pytest.raises(DataValidationError) as exc:
        build(idata.drop(columns="c"), imeta)
    assert "row 4" in _msg(exc) and "'c' has no column in iData" in _msg(exc)


def test_duplicate_icode_and_bad_values(imeta):
    bad = imeta.copy()
    bad.loc[1, "iCode"] = "a"
    bad.loc[3, "Direction"] = 2
    bad.loc[0, "Type"] = "Indicatr"
    with pytest.raises(DataValidationError) as exc:
        validate_meta(bad)
    text = _msg(exc)
    assert "row 3, column 'iCode': duplicate iCode 'a'" in text
    assert "row 5, column 'Direction'" in text
    assert "row 2, column 'Type'" in text


def test_non_numeric_cell_in_idata(imeta, idata):
    bad = idata.astype({"a": object})
    bad.loc[2, "a"] = "n/a?"
    with pytest.raises(DataValidationError) as exc:
        build(bad, imeta, source="data.csv")
    assert "data.csv, row 4, column 'a': not a number (found 'n/a?')" in _msg(exc)


def test_read_imeta_file(tmp_path, imeta):
    p = tmp_path / "m.csv"
    imeta.to_csv(p, index=False)
    meta = read_imeta(p)
    assert meta["Direction"].tolist()[:4] == [1, 1, -1, 1]
    with pytest.raises(DataValidationError, match="file not found"):
        read_imeta(tmp_path / "none.csv")


def test_asem_meta_valid(asem):
    _, meta = asem
    fw = framework(meta)
    assert len(fw.indicators) == 49 and fw.n_levels == 4
