"""Tiny hand-made frames for the dashboard's view classes (no catalog, no browser)."""

from __future__ import annotations

import sys
from pathlib import Path

# helpers beside this file must import under any --import-mode (prepend or importlib)
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd
import pytest
from views_cases import A, B, C

from socialkit.views.data import from_frames


@pytest.fixture
def frames() -> dict[str, pd.DataFrame]:
    municipalities = pd.DataFrame({
        "municipality_id": [A, B, C],
        "name": ["Alpha", "Beta", "Gamma"],
        "name_local": ["Альфа", "Бета", "Гамма"],
        "country": ["UA"] * 3,
        "region": ["Donetsk", "Donetsk", "Luhansk"],
        "district": ["Kramatorsk", "Bakhmut", "Svatove"],
        "population": pd.array([1000, 2500, None], dtype="Int64"),
        "area_km2": [10.0, 100.0, 50.0],
        "lat": [48.0, 48.5, 49.0],
        "lon": [37.0, 37.5, 38.0],
    })
    settlements = pd.DataFrame({
        "settlement_id": ["S1", "S2", "S3", "S4"],
        "municipality_id": [A, A, B, C],
        "name": ["Alpha", "Dubky", "Beta", "Gamma"],
        "name_local": ["Альфа", "Дубки", "Бета", "Гамма"],
        "kind": ["town", "village", "city", "village"],
        "lat": [48.0, 48.1, 48.5, 49.0],
        "lon": [37.0, 37.1, 37.5, 38.0],
        "population": pd.array([800, 200, 2500, None], dtype="Int64"),
        "pop_0_17": pd.array([160, 40, 500, None], dtype="Int64"),
        "pop_18_59": pd.array([440, 100, 1500, None], dtype="Int64"),
        "pop_60_plus": pd.array([200, 60, 500, None], dtype="Int64"),
    })
    facilities = pd.DataFrame({
        "facility_id": ["F1", "F2", "F3"],
        "municipality_id": [A, A, B],
        "settlement_id": ["S1", "S1", "S3"],
        "kind": ["social_service_centre", "school", "school"],
        "name": ["SSC Alpha", "School 1", "School 2"],
        "lat": [48.0, 48.0, 48.5],
        "lon": [37.0, 37.0, 37.5],
        "capacity": pd.array([50, None, 300], dtype="Int64"),
    })
    return {"municipalities": municipalities, "settlements": settlements,
            "facilities": facilities}


@pytest.fixture
def data(frames):
    return from_frames(frames, name="tiny")


@pytest.fixture
def docs(tmp_path, monkeypatch):
    """A documents folder with two files for A, one for B, and the env var pointing at it."""
    root = tmp_path / "docs"
    (root / A / "strategy").mkdir(parents=True)
    (root / B).mkdir(parents=True)
    (root / A / "report_2021.pdf").write_bytes(b"%PDF-1.4 alpha")
    (root / A / "strategy" / "plan.docx").write_bytes(b"plan")
    (root / A / ".hidden").write_bytes(b"x")
    (root / B / "secret_beta.pdf").write_bytes(b"%PDF-1.4 beta")
    import os
    os.utime(root / A / "report_2021.pdf", (1_600_000_000, 1_600_000_000))  # 2020-09-13
    os.utime(root / A / "strategy" / "plan.docx", (1_620_000_000, 1_620_000_000))  # 2021-05-03
    monkeypatch.setenv("SOCIALKIT_DOCUMENTS_DIR", str(root))
    return root
