"""Dashboard tables: number columns right-aligned, text columns left-aligned (issue 18)."""

from __future__ import annotations

import pandas as pd

from socialkit.views.base import table_stylesheet


def _right(frame: pd.DataFrame) -> set[int]:
    css = table_stylesheet(frame)
    return {i for i in range(1, frame.shape[1] + 1) if f"nth-child({i})" in css}


def test_a_count_column_with_suppressed_cells_is_still_a_number_column():
    frame = pd.DataFrame({
        "Група": ["Самотні люди похилого віку", "Особи з інвалідністю", "ВПО"],
        "Показник на 1 000": ["мешканців віком 60+", "мешканців", "мешканців"],
        "Кількість": ["прих.", "5 809", "13 187"],
        "Зміна": ["прих.", "+308", "прих."],
        "Населення": ["1 536", "not recorded", "84"],
    })
    assert _right(frame) == {3, 4, 5}
    # text with digits and ranges stays left
    frame = pd.DataFrame({"Settlement": ["Novoselivka 2", "Berezivka 2", "Lyman"],
                          "Rank range": ["1–3", "4–6", "9–10"],
                          "Score": ["73.5", "61.8", "–"]})
    assert _right(frame) == {3}
