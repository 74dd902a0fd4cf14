"""One reading of Accept-style headers for the endpoint's formats and the pages' label language."""

from __future__ import annotations

from sinorus_kg.sandbox.formats import weighted


def test_values_come_best_first_by_q_then_position() -> None:
    assert weighted("text/csv;q=0.5, application/json, text/turtle;q=0.9") == \
        ["application/json", "text/turtle", "text/csv"]
    assert weighted("ru-RU, zh;q=0.8, en;q=0.8") == ["ru-ru", "zh", "en"]


def test_q_zero_and_a_malformed_q_mean_not_this() -> None:
    assert weighted("en;q=0, ru;q=abc, zh") == ["zh"]
    assert weighted("") == [] and weighted(" , ;q=1") == []


def test_a_hostile_header_is_read_only_to_its_limit() -> None:
    assert len(weighted(",".join(["text/plain"] * 10_000))) == 50
