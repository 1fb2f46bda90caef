"""Assessment tests in the served app (issue 19): a signed-in professional answers the demo
test (nothing pre-selected), is told what is unanswered, gets the score the key gives, finds it
again on the next visit; the item analysis is for the province only, from five candidates."""

from __future__ import annotations

import panel as pn
import pytest
from views_cases import A, open_page, view_text

from socialkit import config
from socialkit.professionals.assessment import item_analysis, read_key, score_choices
from socialkit.store import Actor, close_stores, open_store
from socialkit.store.attempts import attempts_of_test, own_attempts
from socialkit.views import create_app

TESTS = config.PROJECT_ROOT / "catalogs" / "serbia_professionals"
KEY = read_key(TESTS / "test_key.yaml")


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALKIT_DB_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("SOCIALKIT_TESTS", str(TESTS))
    s = open_store()
    s.add_institution(Actor.system(), "pzsz", "province", "Institute")
    s.grant(Actor.system(), "prov", "province")
    yield s
    close_stores()


def _page(data, user, lang="en"):
    app = create_app(data=data, users={user: [A]}, user=user, query={"lang": [lang.encode()]})
    page = app.page("assessment")
    return app, page, page._view()


def _answer(view, answers: dict[str, str]) -> None:
    for q in KEY.questions:
        radio = [r for r in view.select(pn.widgets.RadioBoxGroup) if f"sk-q-{q.name}"
                 in r.css_classes][0]
        if q.name in answers:
            radio.value = answers[q.name]


def _submit(view) -> None:
    [b for b in view.select(pn.widgets.Button) if "sk-test-submit" in b.css_classes][0].clicks += 1


def test_a_professional_takes_the_test_and_gets_the_keys_score(store, data):
    app, page, view = _page(data, "ana")
    radios = view.select(pn.widgets.RadioBoxGroup)
    assert len(radios) == len(KEY.questions) and all(r.value is None for r in radios)
    assert KEY.questions[0].label in view_text(view)
    # the answers are shuffled per candidate (the demo key lists the right one first)
    orders = [list(r.options.values()) for r in radios]
    assert any(o != list(q.choices) for o, q in zip(orders, KEY.questions, strict=True))
    assert orders == [list(r.options.values())
                      for r in _page(data, "ana")[2].select(pn.widgets.RadioBoxGroup)]
    right = {q.name: max(q.choices, key=lambda c: q.choices[c].points) for q in KEY.questions}
    wrong = {q.name: min(q.choices, key=lambda c: q.choices[c].points) for q in KEY.questions}
    answers = {n: (right[n] if i < 7 else wrong[n]) for i, n in enumerate(right)}
    _answer(view, {k: v for k, v in answers.items() if k not in ("q03", "q09")})
    _submit(view)
    msg = [a for a in view.select(pn.pane.Alert) if "sk-test-msg" in a.css_classes][0]
    assert msg.visible and "without an answer: 3, 9" in msg.object
    assert own_attempts(store, "ana").empty
    _answer(view, answers)
    _submit(view)
    kept = own_attempts(store, "ana", KEY.test_id)
    expected = score_choices(__import__("pandas").DataFrame([answers]), KEY).iloc[0].sum()
    assert list(kept["score"]) == [expected] == [7.0] and kept["passed"].iloc[0]
    assert "Your result: 7 of 10 points (70%) — passed (pass mark 60%)" in view_text(view)
    # the next visit shows the result; the analysis tab is not there for a candidate
    _, _, again = _page(data, "ana", "sr-Latn")
    assert "Vaš rezultat: 7 od 10 bodova" in view_text(again)
    assert len(again.select(pn.Tabs)[0]) == 1


def test_the_item_analysis_is_for_the_province_from_five_candidates(store, data):
    from socialkit.store.attempts import save_attempt

    names = [q.name for q in KEY.questions]
    for i in range(4):
        answers = {n: ("a" if j <= i + 3 else "b") for j, n in enumerate(names)}
        save_attempt(store, f"c{i}", KEY.test_id, answers, 0, 10, False)
    app = create_app(data=data, users={"prov": [A]}, user="prov")
    text = view_text(open_page(app, "assessment"))
    assert "Candidates so far: 4" in text
    save_attempt(store, "c4", KEY.test_id, dict.fromkeys(names, "a"), 10, 10, True)
    save_attempt(store, "c4", KEY.test_id, dict.fromkeys(names, "b"), 0, 10, False)  # 2nd
    view = open_page(create_app(data=data, users={"prov": [A]}, user="prov"), "assessment")
    table = [p.object for p in view.select(pn.pane.DataFrame)][0]
    first = attempts_of_test(store, store.actor("prov"), KEY.test_id)
    assert len(first) == 5 and set(first["user"]) == {"c0", "c1", "c2", "c3", "c4"}
    import pandas as pd

    choices = pd.DataFrame(list(first["answers"]))[names]
    expected = item_analysis(score_choices(choices, KEY), KEY.max_points[names]).items
    shown = table.iloc[:, 1].str.replace(",", ".").astype(float)
    assert shown.round(2).tolist() == expected["difficulty"].round(2).tolist()
    with pytest.raises(Exception, match="only an administrator|admin"):
        attempts_of_test(store, store.actor("ana"), KEY.test_id)


def test_signed_out_and_without_tests(store, data, monkeypatch):
    app = create_app(data=data, users=None)
    assert "Sign in to take a test" in view_text(app.page("assessment")._view())
    monkeypatch.delenv("SOCIALKIT_TESTS")
    from socialkit.views.assessment import AssessmentPage

    assert not AssessmentPage.offered(data)
