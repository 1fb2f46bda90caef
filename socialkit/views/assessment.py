"""Assessment tests page: a professional takes a course's test; the course authors read the
item analysis.

The tests are the key files of the tests folder (:func:`socialkit.professionals.taking.
load_tests`: ``$SOCIALKIT_TESTS``, else the folder the catalog's metadata ``tests`` names). A
signed-in user answers each question (nothing is pre-selected) and submits; the answers are
scored on the server with the key (the browser never receives the points of an answer; the
answers are shown in an order of their own per candidate and question) and the
attempt is kept in the store (``prof_test_attempts``). The item analysis (difficulty,
discrimination, Cronbach's alpha / KR-20) of every candidate's first attempt is shown to the
province and the administrator only, and only from five candidates on.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import panel as pn

from .. import config
from .base import Page, alert, heading, table

__all__ = ["AssessmentPage", "tests_source"]

#: Fewest candidates for an item analysis (fewer would show how a handful answered).
MIN_CANDIDATES = 5


def tests_source(data: object) -> Path | None:
    """The tests folder of the served data: ``$SOCIALKIT_TESTS``, else the catalog's."""
    return config.tests_dir() or getattr(data, "tests", None)


class AssessmentPage(Page):
    """Take a test; the item analysis for the course authors."""

    page_id = "assessment"
    requires = ("socialkit.professionals", "socialkit.store")
    needs_municipality = False

    @classmethod
    def offered(cls, data: object) -> bool:
        folder = tests_source(data)
        return folder is not None and any(Path(folder).glob("test_*"))

    def render(self) -> pn.viewable.Viewable:
        from ..professionals.taking import load_tests
        from ..store import open_store

        state = self.state
        tr = state.tr
        user = state.scope.user
        if not user:
            return alert(tr("views.assessment.sign_in"), "info")
        tests = load_tests(tests_source(state.data))
        if not tests:
            return alert(tr("views.assessment.none"), "info")
        store = open_store(config.db_url())
        actor = store.actor(user)
        items = [(tr("views.assessment.take"), lambda: self._take(store, user, tests))]
        if actor.is_administrator:
            items.append((tr("views.assessment.analysis"),
                          lambda: self._analysis(store, actor, tests)))
        return self.sections(items)

    # ------------------------------------------------------------------ taking a test
    def _take(self, store, user: str, tests) -> pn.viewable.Viewable:
        chooser = pn.widgets.Select(label=self.state.tr("views.assessment.test"),
                                    options={k.title: tid for tid, k in tests.items()},
                                    width=420, css_classes=["sk-test-choose"],
                                    visible=len(tests) > 1)
        holder = pn.Column(sizing_mode="stretch_width", css_classes=["sk-test"])

        def show(*_):
            holder.objects = [self._test(store, user, tests[chooser.value], holder)]

        chooser.param.watch(show, "value")
        show()
        return pn.Column(chooser, holder, sizing_mode="stretch_width")

    def _result_text(self, score: float, maximum: float, passed: bool, mark: float) -> str:
        tr = self.state.translator
        return tr("views.assessment.result", score=tr.number(score, 0 if score == int(score)
                                                             else 1),
                  max=tr.number(maximum, 0), share=tr.percent(score / maximum),
                  verdict=tr("views.assessment.passed" if passed else "views.assessment.failed"),
                  mark=tr.percent(mark))

    def _test(self, store, user: str, key, holder: pn.Column,
              again: bool = False) -> pn.viewable.Viewable:
        from ..store.attempts import own_attempts

        tr = self.state.translator
        done = own_attempts(store, user, key.test_id)
        parts: list[pn.viewable.Viewable] = [heading(key.title, 3)]
        if len(done) and not again:
            last = done.iloc[-1]
            parts.append(alert(self._result_text(last["score"], last["max_points"],
                                                 bool(last["passed"]), key.pass_mark),
                               "success" if last["passed"] else "warning"))
            retake = pn.widgets.Button(label=tr("views.assessment.again"),
                                       css_classes=["sk-test-again"], width=220)
            retake.on_click(lambda _e: setattr(
                holder, "objects", [self._test(store, user, key, holder, again=True)]))
            parts.append(retake)
            return pn.Column(*parts, sizing_mode="stretch_width")
        parts.append(pn.pane.Markdown(tr("views.assessment.intro", n=len(key.questions),
                                         mark=tr.percent(key.pass_mark)), margin=(0, 10)))
        radios: dict[str, pn.widgets.RadioBoxGroup] = {}
        for i, q in enumerate(key.questions, start=1):
            # answers in an order of their own for each candidate and question (as Moodle's
            # "shuffle within questions"), the same on every visit
            order = sorted(q.choices, key=lambda n, q=q: hashlib.sha256(
                f"{user}|{key.test_id}|{q.name}|{n}".encode()).hexdigest())
            radio = pn.widgets.RadioBoxGroup(
                options={q.choices[name].label: name for name in order},
                css_classes=["sk-test-answers", f"sk-q-{q.name}"], margin=(0, 10, 10, 20))
            radio.value = None  # nothing chosen for the candidate
            radios[q.name] = radio
            parts += [pn.pane.Markdown(f"**{i}.** {q.label}", margin=(5, 10, 0, 10),
                                       css_classes=["sk-test-question"]), radio]
        message = pn.pane.Alert("", visible=False, sizing_mode="stretch_width",
                                css_classes=["sk-test-msg"])
        submit = pn.widgets.Button(label=tr("views.assessment.submit"), color="primary",
                                   width=220, css_classes=["sk-test-submit"])

        def _submit(_event) -> None:
            from ..professionals.taking import score_answers
            from ..store.attempts import save_attempt

            answers = {name: r.value for name, r in radios.items()}
            result = score_answers(key, answers)
            if result.unanswered:
                numbers = [str(i) for i, q in enumerate(key.questions, start=1)
                           if q.name in result.unanswered]
                message.object = tr("views.assessment.unanswered", questions=", ".join(numbers))
                message.alert_type, message.visible = "warning", True
                return
            save_attempt(store, user, key.test_id, answers, result.total, result.max_points,
                         result.passed)
            holder.objects = [self._test(store, user, key, holder)]

        submit.on_click(_submit)
        parts += [message, submit]
        return pn.Column(*parts, sizing_mode="stretch_width")

    # ------------------------------------------------------------------ item analysis
    def _analysis(self, store, actor, tests) -> pn.viewable.Viewable:
        from ..i18n import format_number
        from ..professionals.taking import analyse_attempts
        from ..store.attempts import attempts_of_test

        state = self.state
        tr, lang = state.tr, state.lang
        parts: list[pn.viewable.Viewable] = []
        for tid, key in tests.items():
            attempts = attempts_of_test(store, actor, tid)
            parts.append(heading(key.title, 3))
            if len(attempts) < MIN_CANDIDATES:
                parts.append(alert(tr("views.assessment.too_few", n=len(attempts),
                                      min=MIN_CANDIDATES), "info"))
                continue
            result = analyse_attempts(key, attempts)
            test = result.test.iloc[0]
            labels = {q.name: f"{i}. {q.label}" for i, q in enumerate(key.questions, start=1)}
            items = result.items
            shown = pd.DataFrame({
                tr("views.assessment.question"): items["item"].map(labels),
                tr("views.assessment.difficulty"): items["difficulty"].map(
                    lambda v: format_number(v, lang, 2)),
                tr("views.assessment.discrimination"): items["r_item_rest"].map(
                    lambda v: format_number(v, lang, 2)),
                tr("views.assessment.alpha_if_deleted"): items["alpha_if_deleted"].map(
                    lambda v: format_number(v, lang, 2)),
            })
            parts += [pn.pane.Markdown(tr("views.assessment.summary",
                                          n=format_number(int(test["n_candidates"]), lang),
                                          alpha=format_number(test["alpha"], lang, 2)),
                                       margin=(0, 10)),
                      table(shown, css_classes=["sk-test-analysis"])]
        parts.append(self.how_computed(tr("views.assessment.how")))
        return pn.Column(*parts, sizing_mode="stretch_width")
