"""The timeline picture: one bar or marker per event of the stored query, deterministic bytes."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from matplotlib import dates as mdates

from sinorus_kg.errors import InputError
from sinorus_kg.knowledge_graph import KnowledgeGraph
from sinorus_kg.plots import (
    MECHANISMS,
    OTHER,
    plot_timeline,
    render,
    short_label,
    timeline_figure,
    timeline_records,
)

EVENT = "https://w3id.org/sinorus/id/event/"
# The document's visits: Gorbachev in May 1989 (s6), Xi Jinping in March 2013 (s11), Naryshkin in
# May 2013 (s21), the Chinese President in Sochi in February 2014 (s14), Lavrov in April 2014 (s18).
VISITS = {
    "1989-05-gorbachev-official-visit-to-china",
    "2013-03-xi-jinping-visit-to-russia",
    "2013-05-naryshkin-official-visit-to-china",
    "2014-02-chinese-president-visit-to-sochi",
    "2014-04-15-lavrov-official-visit-to-china",
}


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph("oxigraph")


@pytest.fixture(scope="module")
def whole(kg: KnowledgeGraph) -> Any:
    """The figure of the whole timeline, drawn once for the tests that inspect it."""
    return timeline_figure(timeline_records(kg), "test")


def drawn_events(figure: Any) -> list[str]:
    """The IRIs linked from the figure's main artists: one bar or marker per event."""
    ax = figure.axes[0]
    return [a.get_url() for a in (*ax.patches, *ax.lines) if a.get_url()]


def main_artist(figure: Any, slug: str) -> Any:
    ax = figure.axes[0]
    return next(a for a in (*ax.patches, *ax.lines) if a.get_url() == EVENT + slug)


def test_whole_timeline_has_one_bar_or_marker_per_event(kg: KnowledgeGraph, whole: Any, tmp_path: Path) -> None:
    rows = kg.records("events-timeline") + kg.records("mechanisms-timeline")
    drawn = drawn_events(whole)
    assert len(drawn) == len(rows) == len(set(drawn)) == 40 + 7  # the document's events and dialogue mechanisms
    assert set(drawn) == {str(r["event"]) for r in rows}
    out = plot_timeline(kg, tmp_path / "timeline.png")
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_visits_only(kg: KnowledgeGraph, tmp_path: Path) -> None:
    figure = timeline_figure(timeline_records(kg, kind="sr:Visit"), "visits")
    assert {iri.removeprefix(EVENT) for iri in drawn_events(figure)} == VISITS
    assert len(drawn_events(figure)) == len(VISITS)
    out = plot_timeline(kg, tmp_path / "visits.svg", kind="sr:Visit")
    assert b"<svg" in out.read_bytes()


def test_every_event_has_a_colour_family(kg: KnowledgeGraph) -> None:
    families = {r["event"].removeprefix(EVENT): r["family"] for r in timeline_records(kg)}
    assert OTHER.label not in families.values(), "an event class has no family in plots.FAMILIES"
    assert families["https://w3id.org/sinorus/id/mechanism/border-negotiations"] == MECHANISMS.label
    assert families["1989-05-gorbachev-official-visit-to-china"] == "Visits"
    assert families["1960-border-conflicts"] == "Conflicts and tensions"
    assert families["1950-02-14-signing-friendship-treaty"] == "Agreements and declarations"


def lane_of(artist: Any) -> float:
    return artist.get_y() + artist.get_height() / 2 if hasattr(artist, "get_y") else artist.get_ydata()[0]


def test_end_not_stated_fades_out_and_does_not_run_on(whole: Any) -> None:
    # s7: "Since 1960, the polemical battles … have escalated into border conflicts" — the end is not
    # stated: a solid bar for 1960 (the year it began), then a fade; not a bar across the 1989 normalisation.
    ax = whole.axes[0]
    bar = main_artist(whole, "1960-border-conflicts")
    assert bar.get_x() == mdates.date2num(date(1960, 1, 1))
    assert bar.get_x() + bar.get_width() == mdates.date2num(date(1961, 1, 1))
    fade = [p for p in ax.patches if p.get_label() == "_fade" and lane_of(p) == lane_of(bar)]
    assert len(fade) > 3 and fade[0].get_alpha() > fade[-1].get_alpha()
    assert max(p.get_x() + p.get_width() for p in fade) < mdates.date2num(date(1989, 5, 1))
    assert not [line for line in ax.lines if line.get_label() == "_ongoing" and lane_of(line) == lane_of(bar)]


def test_ongoing_at_the_document_date_runs_to_it_with_an_arrow(whole: Any) -> None:
    # s22: "Since 1996, the mechanism of regular (annual) meetings of the heads of government … has been in
    # operation": ongoing at the document's as-of date (15 April 2014), drawn to that date, with an arrow.
    ax = whole.axes[0]
    bar = ax.patches[[p.get_url() for p in ax.patches].index(
        "https://w3id.org/sinorus/id/mechanism/heads-of-government-meetings")]
    assert bar.get_x() == mdates.date2num(date(1996, 1, 1))
    assert bar.get_x() + bar.get_width() == mdates.date2num(date(2014, 4, 16))
    arrows = [line for line in ax.lines if line.get_label() == "_ongoing"]
    assert any(lane_of(line) == lane_of(bar) for line in arrows), "no 'ongoing' arrow on the lane"
    assert not [p for p in ax.patches if p.get_label() == "_fade" and lane_of(p) == lane_of(bar)]


def test_ongoing_with_a_beginning_not_stated_fades_in_to_an_arrow(whole: Any) -> None:
    # s17: "Contacts between the heads of state of the two countries are regular" — no beginning stated, going on at
    # the document's as-of date: a fade-in ending in the 'ongoing' arrow, not a one-day diamond.
    ax = whole.axes[0]
    mechanism = next(a for a in ax.lines
                     if a.get_url() == "https://w3id.org/sinorus/id/mechanism/heads-of-state-contacts")
    assert mechanism.get_label() == "_ongoing" and mechanism.get_marker() == ">"
    assert mechanism.get_xdata()[0] == mdates.date2num(date(2014, 4, 15))
    assert [p for p in ax.patches if p.get_label() == "_fadein" and lane_of(p) == lane_of(mechanism)]


def test_a_synthetic_ongoing_event_and_an_unstated_end_are_drawn_differently() -> None:
    begun = {"earliestBegin": date(2000, 1, 1), "latestBegin": date(2000, 12, 31),
             "beginPrecision": "http://www.w3.org/2006/time#unitYear"}
    rows = [{"event": EVENT + "a", "eventLabel": "A", **begun, "earliestEnd": date(2014, 4, 15),
             "endStatus": "https://w3id.org/sinorus/ontology#statusOngoing", "ongoingAsOf": date(2014, 4, 15)},
            {"event": EVENT + "b", "eventLabel": "B", **begun,
             "endStatus": "https://w3id.org/sinorus/ontology#statusNotStated"}]
    labels = {artist.get_label() for artist in (*timeline_figure(rows, "t").axes[0].patches,
                                                *timeline_figure(rows, "t").axes[0].lines)}
    assert {"_ongoing", "_fade", "_unstated"} <= labels


def test_single_day_is_a_marker_and_coarse_dates_are_hatched(whole: Any) -> None:
    figure = whole
    # s3: "On February 14, 1950, … the Treaty of friendship, alliance and mutual assistance was signed"
    signing = main_artist(figure, "1950-02-14-signing-friendship-treaty")
    assert signing.get_marker() == "D"
    # s3: "In the following decade" — the 1950s: a decade, drawn hatched
    decade = main_artist(figure, "1950s-conclusion-of-cooperation-agreements")
    assert decade.get_hatch()


def test_period_keeps_the_events_of_the_period(kg: KnowledgeGraph, tmp_path: Path) -> None:
    records = timeline_records(kg, start=date(1960, 1, 1), end=date(1969, 12, 31))
    slugs = {r["event"].removeprefix(EVENT) for r in records}
    assert "1969-border-negotiations" in slugs  # s4: "It was only in 1969"
    assert "1964-border-consultations" in slugs  # s4: "in 1964"
    assert "1989-05-gorbachev-official-visit-to-china" not in slugs
    plot_timeline(kg, tmp_path / "sixties.pdf", start=date(1960, 1, 1), end=date(1969, 12, 31))
    assert (tmp_path / "sixties.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_two_renders_give_identical_bytes(kg: KnowledgeGraph, fmt: str) -> None:
    records = timeline_records(kg)
    first = render(timeline_figure(records, "same"), fmt)
    second = render(timeline_figure(records, "same"), fmt)
    assert first == second
    assert b"CreationDate" not in first and b"Matplotlib v" not in first


def test_unknown_format_is_an_input_error(kg: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="gif"):
        plot_timeline(kg, tmp_path / "timeline.gif")
    with pytest.raises(InputError, match="bmp"):
        plot_timeline(kg, tmp_path / "timeline.png", fmt="bmp")
    assert list(tmp_path.iterdir()) == []


def test_no_events_is_an_input_error(kg: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no events"):
        plot_timeline(kg, tmp_path / "t.png", kind="sr:Person")
    with pytest.raises(InputError, match="after it ends"):
        plot_timeline(kg, tmp_path / "t.png", start=date(2000, 1, 1), end=date(1990, 1, 1))


def test_written_atomically_without_leftovers(kg: KnowledgeGraph, tmp_path: Path) -> None:
    out = tmp_path / "pictures" / "timeline.svg"
    out.parent.mkdir()
    out.write_bytes(b"old")
    plot_timeline(kg, out)
    plot_timeline(kg, out)
    assert [p.name for p in out.parent.iterdir()] == ["timeline.svg"]
    assert out.read_bytes().lstrip().startswith(b"<?xml")


def test_labels_are_short_and_keep_what_tells_events_apart() -> None:
    labels = [short_label(f"Meeting of the Russian and Chinese heads of state on the sidelines of the {s} summit")
              for s in ("G20", "APEC")]
    assert labels[0] != labels[1]
    assert all(len(label) <= 74 and "…" in label for label in labels)
    assert short_label("Collapse of the USSR") == "Collapse of the USSR"


def test_query_path_does_not_import_matplotlib() -> None:
    code = ("import sys, sinorus_kg.cli, sinorus_kg.plots, sinorus_kg.knowledge_graph; "
            "sys.exit('matplotlib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
