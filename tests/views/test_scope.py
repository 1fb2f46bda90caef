"""Users file and scopes: who may see which municipality (fail closed)."""

from __future__ import annotations

import pandas as pd
import pytest
from views_cases import A, B

from socialkit.views.scope import AccessDenied, Scope, UsersFileError, load_users, resolve_scope


def test_load_users_yaml_and_json(tmp_path):
    path = tmp_path / "users.yaml"
    path.write_text(f"olena: [{A}]\npetro: {B}\nadmin: '*'\n", encoding="utf-8")
    users = load_users(path)
    assert users == {"olena": frozenset({A}), "petro": frozenset({B}), "admin": "*"}
    js = tmp_path / "users.json"
    js.write_text(f'{{"olena": ["{A}", "{B}"]}}', encoding="utf-8")
    assert load_users(js) == {"olena": frozenset({A, B})}


@pytest.mark.parametrize(("text", "match"), [
    ("olena: 5\n", r"users.yaml, key 'olena': found 5; expected a list of municipality ids"),
    ("olena: [1, 2]\n", r"key 'olena'"),
    ("- a\n- b\n", r"expected a mapping of user name"),
    ("olena: [\n", r"not valid YAML/JSON"),
])
def test_load_users_rejects_bad_files(tmp_path, text, match):
    path = tmp_path / "users.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsersFileError, match=match):
        load_users(path)


def test_load_users_missing_file(tmp_path):
    with pytest.raises(UsersFileError, match="cannot read the users file"):
        load_users(tmp_path / "nope.yaml")


def test_resolve_scope_fails_closed():
    users = {"olena": frozenset({A}), "admin": "*"}
    assert resolve_scope("olena", users) == Scope("olena", frozenset({A}))
    assert resolve_scope("admin", users).allowed is None
    assert resolve_scope("stranger", users).allowed == frozenset()
    assert resolve_scope(None, users).allowed == frozenset()
    assert resolve_scope(None, None).allowed is None


def test_scope_check_and_filter():
    scope = Scope("olena", frozenset({A}))
    assert scope.check(A) == A
    with pytest.raises(AccessDenied, match=f"'olena' may not see municipality '{B}'"):
        scope.check(B)
    frame = pd.DataFrame({"municipality_id": [A, B, A], "v": [1, 2, 3]})
    out = scope.filter(frame)
    assert out["v"].tolist() == [1, 3]
    assert frame["v"].tolist() == [1, 2, 3]  # input untouched
    assert Scope(None, None).filter(frame)["v"].tolist() == [1, 2, 3]
    assert scope.visible([B, A]) == [A]
