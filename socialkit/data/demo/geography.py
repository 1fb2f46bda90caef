"""Synthetic geography: municipalities (hromadas), settlements and facilities.

The first ten municipalities are partner hromadas of Donetsk and Luhansk oblasts with their
real names and approximate centres; every number is synthetic. With ``n > 10`` further
hromadas are spread over Ukraine's oblasts with generated names. Everything is vectorised:
1,469 municipalities take well under a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import FACILITY_KINDS

__all__ = ["PARTNER_HROMADAS", "facilities", "generate"]

# name, name_local, oblast, oblast code, raion, lat, lon
PARTNER_HROMADAS: list[tuple[str, str, str, int, str, float, float]] = [
    ("Mykolaivka", "Миколаївка", "Donetsk", 14, "Kramatorsk", 48.86, 37.72),
    ("Sviatohirsk", "Святогірськ", "Donetsk", 14, "Kramatorsk", 49.03, 37.57),
    ("Lyman", "Лиман", "Donetsk", 14, "Kramatorsk", 48.99, 37.81),
    ("Siversk", "Сіверськ", "Donetsk", 14, "Bakhmut", 48.87, 38.10),
    ("Druzhkivka", "Дружківка", "Donetsk", 14, "Kramatorsk", 48.62, 37.53),
    ("Velyka Novosilka", "Велика Новосілка", "Donetsk", 14, "Volnovakha", 47.84, 36.83),
    ("Novoaidar", "Новоайдар", "Luhansk", 44, "Shchastia", 48.96, 39.02),
    ("Bilovodsk", "Біловодськ", "Luhansk", 44, "Starobilsk", 49.20, 39.58),
    ("Stanytsia Luhanska", "Станиця Луганська", "Luhansk", 44, "Shchastia", 48.65, 39.49),
    ("Troitske", "Троїцьке", "Luhansk", 44, "Svatove", 49.92, 38.29),
]

# oblast (English), KATOTTG oblast code, approximate centre lat, lon
_OBLASTS: list[tuple[str, int, float, float]] = [
    ("Vinnytsia", 5, 49.23, 28.47), ("Volyn", 7, 50.75, 25.33),
    ("Dnipropetrovsk", 12, 48.46, 35.05), ("Donetsk", 14, 48.30, 37.80),
    ("Zhytomyr", 18, 50.25, 28.66), ("Zakarpattia", 21, 48.45, 23.10),
    ("Zaporizhzhia", 23, 47.60, 35.60), ("Ivano-Frankivsk", 26, 48.90, 24.70),
    ("Kyiv", 32, 50.30, 30.50), ("Kirovohrad", 35, 48.50, 32.20),
    ("Luhansk", 44, 48.90, 39.30), ("Lviv", 46, 49.80, 24.00),
    ("Mykolaiv", 48, 47.20, 32.00), ("Odesa", 51, 46.70, 30.20),
    ("Poltava", 53, 49.60, 34.50), ("Rivne", 56, 50.90, 26.30),
    ("Sumy", 59, 50.90, 34.80), ("Ternopil", 61, 49.50, 25.60),
    ("Kharkiv", 63, 49.70, 36.40), ("Kherson", 65, 46.70, 33.40),
    ("Khmelnytskyi", 68, 49.40, 26.90), ("Cherkasy", 71, 49.40, 32.00),
    ("Chernivtsi", 73, 48.30, 25.90), ("Chernihiv", 74, 51.50, 31.30),
]

# Common village names of eastern Ukraine (Latin, Ukrainian), used for non-centre settlements.
_VILLAGE_NAMES: list[tuple[str, str]] = [
    ("Novoselivka", "Новоселівка"), ("Mykhailivka", "Михайлівка"), ("Petrivka", "Петрівка"),
    ("Ivanivka", "Іванівка"), ("Oleksandrivka", "Олександрівка"), ("Andriivka", "Андріївка"),
    ("Vasylivka", "Василівка"), ("Hryhorivka", "Григорівка"), ("Stepanivka", "Степанівка"),
    ("Pavlivka", "Павлівка"), ("Sofiivka", "Софіївка"), ("Kalynivka", "Калинівка"),
    ("Zelenyi Hai", "Зелений Гай"), ("Berezivka", "Березівка"), ("Dmytrivka", "Дмитрівка"),
    ("Yakovlivka", "Яковлівка"), ("Novomykolaivka", "Новомиколаївка"),
    ("Shevchenko", "Шевченко"), ("Zarichne", "Зарічне"), ("Lozove", "Лозове"),
    ("Pryvillia", "Привілля"), ("Krasnopillia", "Краснопілля"), ("Topolivka", "Тополівка"),
    ("Maiorske", "Майорське"), ("Sukhyi Yar", "Сухий Яр"), ("Stavky", "Ставки"),
    ("Yampil", "Ямпіль"), ("Kurdiumivka", "Курдюмівка"), ("Bohorodychne", "Богородичне"),
    ("Tetianivka", "Тетянівка"), ("Kolodiazi", "Колодязі"), ("Dibrova", "Діброва"),
    ("Terny", "Терни"), ("Novoiehorivka", "Новоєгорівка"), ("Khrestyshche", "Хрестище"),
    ("Myrne", "Мирне"), ("Vilne", "Вільне"), ("Rozdolivka", "Роздолівка"),
    ("Vyimka", "Виїмка"), ("Pyskunivka", "Пискунівка"), ("Serebrianka", "Серебрянка"),
    ("Hlyboka Makatykha", "Глибока Макатиха"), ("Druzhba", "Дружба"), ("Lypove", "Липове"),
]

#: Local (Ukrainian) names: the oblast as the adjective of "... область", the raion as the
#: adjective of "... район" (demo raions without one become "Район N").
_OBLAST_LOCAL = {
    "Vinnytsia": "Вінницька", "Volyn": "Волинська", "Dnipropetrovsk": "Дніпропетровська",
    "Donetsk": "Донецька", "Zhytomyr": "Житомирська", "Zakarpattia": "Закарпатська",
    "Zaporizhzhia": "Запорізька", "Ivano-Frankivsk": "Івано-Франківська", "Kyiv": "Київська",
    "Kirovohrad": "Кіровоградська", "Luhansk": "Луганська", "Lviv": "Львівська",
    "Mykolaiv": "Миколаївська", "Odesa": "Одеська", "Poltava": "Полтавська",
    "Rivne": "Рівненська", "Sumy": "Сумська", "Ternopil": "Тернопільська",
    "Kharkiv": "Харківська", "Kherson": "Херсонська", "Khmelnytskyi": "Хмельницька",
    "Cherkasy": "Черкаська", "Chernivtsi": "Чернівецька", "Chernihiv": "Чернігівська",
}
_RAION_LOCAL = {
    "Kramatorsk": "Краматорський", "Bakhmut": "Бахмутський", "Volnovakha": "Волноваський",
    "Shchastia": "Щастинський", "Starobilsk": "Старобільський", "Svatove": "Сватівський",
}

_KIND_CODES = {
    "social_service_centre": "SSC",
    "admin_service_centre": "ASC",
    "primary_care": "PHC",
    "pharmacy": "PHA",
    "school": "SCH",
}
_KM_PER_DEG_LAT = 111.32


def _katottg(oblast: np.ndarray, raion: np.ndarray, hromada: np.ndarray,
             settlement: np.ndarray, serial: np.ndarray) -> np.ndarray:
    """KATOTTG-like code: ``UA`` + oblast(2) + raion(2) + hromada(3) + settlement(3) + serial(7)."""
    parts = [
        np.char.zfill(oblast.astype(str), 2),
        np.char.zfill(raion.astype(str), 2),
        np.char.zfill(hromada.astype(str), 3),
        np.char.zfill(settlement.astype(str), 3),
        np.char.zfill(serial.astype(str), 7),
    ]
    out = np.full(len(oblast), "UA", dtype=object)
    for p in parts:
        out = out + p.astype(object)
    return out.astype(str)


def _municipalities(rng: np.random.Generator, n: int) -> pd.DataFrame:
    k = min(n, len(PARTNER_HROMADAS))
    partner = pd.DataFrame(
        PARTNER_HROMADAS[:k],
        columns=["name", "name_local", "region", "oblast_code", "district", "lat", "lon"],
    )
    extra = n - k
    if extra > 0:
        ob = rng.integers(0, len(_OBLASTS), extra)
        obl = np.array(_OBLASTS, dtype=object)[ob]
        num = np.arange(k + 1, n + 1)
        frame = pd.DataFrame(
            {
                "name": [f"Hromada {i:04d}" for i in num],
                "name_local": [f"Громада {i:04d}" for i in num],
                "region": obl[:, 0].astype(str),
                "oblast_code": obl[:, 1].astype(int),
                "district": [f"Raion {r}" for r in rng.integers(1, 8, extra)],
                "lat": obl[:, 2].astype(float) + rng.uniform(-0.9, 0.9, extra),
                "lon": obl[:, 3].astype(float) + rng.uniform(-1.4, 1.4, extra),
            }
        )
        partner = pd.concat([partner, frame], ignore_index=True)
    m = len(partner)
    raion_codes = pd.factorize(partner["region"] + "/" + partner["district"])[0] % 90 + 2
    hromada_codes = np.arange(m) % 900 + 10
    serial = rng.choice(np.arange(1_000_000, 9_999_999), size=m, replace=False)
    ids = _katottg(partner["oblast_code"].to_numpy(), raion_codes, hromada_codes,
                   np.zeros(m, dtype=int), serial)
    return pd.DataFrame(
        {
            "municipality_id": ids,
            "name": partner["name"].to_numpy(),
            "name_local": partner["name_local"].to_numpy(),
            "country": "UA",
            "region": partner["region"].to_numpy(),
            "district": partner["district"].to_numpy(),
            "region_local": partner["region"].map(_OBLAST_LOCAL).to_numpy(),
            "district_local": [_RAION_LOCAL.get(d, d.replace("Raion", "Район"))
                               for d in partner["district"]],
            "population": pd.array(np.zeros(m, dtype=int), dtype="Int64"),  # filled below
            "area_km2": np.round(rng.uniform(250, 1300, m), 1),
            "lat": np.round(partner["lat"].to_numpy(float), 5),
            "lon": np.round(partner["lon"].to_numpy(float), 5),
            "_oblast_code": partner["oblast_code"].to_numpy(),
            "_raion_code": raion_codes,
            "_hromada_code": hromada_codes,
        }
    )


def _settlements(rng: np.random.Generator, mun: pd.DataFrame) -> pd.DataFrame:
    m = len(mun)
    counts = rng.integers(10, 61, m)
    owner = np.repeat(np.arange(m), counts)
    n = len(owner)
    rank = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)  # 0 = admin centre
    radius_km = np.sqrt(mun["area_km2"].to_numpy() / np.pi)[owner]
    r = radius_km * np.sqrt(rng.uniform(0, 1, n))
    r[rank == 0] = rng.uniform(0, 1.5, int((rank == 0).sum()))
    theta = rng.uniform(0, 2 * np.pi, n)
    lat0 = mun["lat"].to_numpy()[owner]
    lon0 = mun["lon"].to_numpy()[owner]
    lat = lat0 + r * np.sin(theta) / _KM_PER_DEG_LAT
    lon = lon0 + r * np.cos(theta) / (_KM_PER_DEG_LAT * np.cos(np.radians(lat0)))
    # Skewed populations: a town of several thousand, then villages from a log-normal.
    pop = np.where(
        rank == 0,
        rng.lognormal(np.log(9000), 0.6, n),
        rng.lognormal(np.log(320), 1.0, n),
    )
    pop = np.maximum(np.round(pop), 3).astype(np.int64)
    kind = np.where(rank == 0, np.where(pop > 10_000, "city", "town"),
                    np.where(pop > 3000, "town", "village"))
    # Age structure: eastern Ukraine is old; remote villages older still.
    remoteness = r / np.maximum(radius_km, 1)
    base = np.column_stack([0.17 - 0.04 * remoteness, 0.55 - 0.05 * remoteness,
                            0.28 + 0.09 * remoteness])
    shares = rng.dirichlet(np.ones(3) * 60, n) * 0.5 + base * 0.5
    shares /= shares.sum(axis=1, keepdims=True)
    p017 = np.floor(pop * shares[:, 0]).astype(np.int64)
    p60 = np.floor(pop * shares[:, 2]).astype(np.int64)
    p1859 = pop - p017 - p60
    mcodes = mun[["_oblast_code", "_raion_code", "_hromada_code"]].to_numpy()[owner]
    serial = rng.choice(np.arange(1_000_000, 9_999_999), size=n, replace=False)
    ids = _katottg(mcodes[:, 0], mcodes[:, 1], mcodes[:, 2], rank + 1, serial)
    name, name_local = _settlement_names(mun, owner, rank)
    frame = pd.DataFrame(
        {
            "settlement_id": ids,
            "municipality_id": mun["municipality_id"].to_numpy()[owner],
            "name": name.astype(str),
            "name_local": name_local.astype(str),
            "kind": kind,
            "lat": np.round(lat, 5),
            "lon": np.round(lon, 5),
            "population": pd.array(pop, dtype="Int64"),
            "pop_0_17": pd.array(p017, dtype="Int64"),
            "pop_18_59": pd.array(p1859, dtype="Int64"),
            "pop_60_plus": pd.array(p60, dtype="Int64"),
        }
    )
    return frame


def _settlement_names(mun: pd.DataFrame, owner: np.ndarray, rank: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Administrative centres take the hromada's name; villages a common village name.

    Chosen by position (no random draws), numbered where a name repeats within a hromada.
    """
    pick = (owner * 7 + rank * 13) % len(_VILLAGE_NAMES)  # 13 is coprime with 44
    latin = np.array([n for n, _ in _VILLAGE_NAMES], dtype=object)[pick]
    local = np.array([n for _, n in _VILLAGE_NAMES], dtype=object)[pick]
    seen = pd.DataFrame({"o": owner, "n": latin}).groupby(["o", "n"]).cumcount().to_numpy()
    number = np.where(seen > 0, " " + (seen + 1).astype(str).astype(object), "")
    latin, local = latin + number, local + number
    centre = rank == 0
    latin = np.where(centre, mun["name"].to_numpy()[owner], latin)
    local = np.where(centre, mun["name_local"].to_numpy()[owner], local)
    return latin.astype(str), local.astype(str)


def facilities(rng: np.random.Generator, st: pd.DataFrame, mun_pop_rank0: np.ndarray
               ) -> pd.DataFrame:
    """Facilities of every kind for settlements ``st``; ``mun_pop_rank0`` marks the
    administrative centres (which have one of each kind)."""
    pop = st["population"].to_numpy(dtype=float)
    is_centre = mun_pop_rank0
    logp = np.log10(np.maximum(pop, 1))
    # probability of at least one facility of each kind, by kind
    prob = {
        "social_service_centre": np.where(is_centre, 1.0, 0.04),
        "admin_service_centre": np.where(is_centre, 1.0, 0.06 * (logp > 2.8)),
        "primary_care": np.where(is_centre, 1.0, np.clip((logp - 2.0) * 0.45, 0, 0.95)),
        "pharmacy": np.where(is_centre, 1.0, np.clip((logp - 2.3) * 0.5, 0, 0.9)),
        "school": np.where(is_centre, 1.0, np.clip((logp - 2.2) * 0.6, 0, 0.95)),
    }
    capacity_per_1000 = {
        "social_service_centre": 6.0, "admin_service_centre": 8.0, "primary_care": 25.0,
        "pharmacy": 15.0, "school": 110.0,
    }
    frames = []
    for kind in FACILITY_KINDS:
        has = rng.uniform(0, 1, len(st)) < prob[kind]
        count = np.where(has, 1 + (is_centre & (pop > 15_000)) * rng.integers(0, 3, len(st)), 0)
        idx = np.repeat(np.arange(len(st)), count)
        if len(idx) == 0:
            continue
        cap = np.maximum(
            np.round(pop[idx] / 1000 * capacity_per_1000[kind] * rng.uniform(0.6, 1.6, len(idx))),
            5,
        )
        frames.append(
            pd.DataFrame(
                {
                    "_kind_code": _KIND_CODES[kind],
                    "municipality_id": st["municipality_id"].to_numpy()[idx],
                    "settlement_id": st["settlement_id"].to_numpy()[idx],
                    "kind": kind,
                    "name": st["name"].to_numpy()[idx],
                    "lat": np.round(st["lat"].to_numpy()[idx] + rng.normal(0, 0.002, len(idx)), 5),
                    "lon": np.round(st["lon"].to_numpy()[idx] + rng.normal(0, 0.003, len(idx)), 5),
                    "capacity": pd.array(cap.astype(np.int64), dtype="Int64"),
                    "_order": idx,
                }
            )
        )
    fac = pd.concat(frames, ignore_index=True).sort_values(["_order", "_kind_code"], kind="stable")
    fac = fac.reset_index(drop=True)
    fac["facility_id"] = [f"F{i:07d}" for i in range(1, len(fac) + 1)]
    fac["name"] = fac["name"] + " " + fac["_kind_code"]
    # wart: a few facilities have no recorded capacity
    missing = rng.uniform(0, 1, len(fac)) < 0.03
    fac.loc[missing, "capacity"] = pd.NA
    cols = ["facility_id", "municipality_id", "settlement_id", "kind", "name", "lat", "lon",
            "capacity"]
    return fac[cols]


def generate(rng: np.random.Generator, n: int = 10) -> dict[str, pd.DataFrame]:
    """Generate municipalities, settlements and facilities for ``n`` hromadas.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness (the caller seeds it).
    n : int
        Number of municipalities, 1 to 1,469.

    Returns
    -------
    dict of DataFrame
        ``municipalities``, ``settlements`` and ``facilities``.
    """
    mun = _municipalities(rng, n)
    st = _settlements(rng, mun)
    centre = np.zeros(len(st), dtype=bool)
    centre[st.groupby("municipality_id", sort=False).head(1).index.to_numpy()] = True
    fac = facilities(rng, st, centre)
    # wart: one settlement with no population recorded (not an administrative centre)
    gap = int(np.flatnonzero(~centre)[3])
    st.loc[gap, ["population", "pop_0_17", "pop_18_59", "pop_60_plus"]] = pd.NA
    total = st.groupby("municipality_id", sort=False)["population"].sum()
    mun["population"] = pd.array(
        mun["municipality_id"].map(total).to_numpy(dtype=np.int64), dtype="Int64"
    )
    mun = mun.drop(columns=["_oblast_code", "_raion_code", "_hromada_code"])
    return {"municipalities": mun, "settlements": st, "facilities": fac}
