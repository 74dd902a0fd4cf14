"""The timeline picture: every event of the document as a bar or marker on a date axis.

The data comes only from stored queries (``events-timeline``, and ``events-in-period``
when a period is given), so the picture always agrees with what analysts query.
Thirty-odd of the forty events fall in 2013–2014, so the last two years get a wider,
shaded stretch of the axis; the decades before keep a linear scale. matplotlib is
imported inside the functions: the query path never pays for it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sinorus_kg.errors import InputError
from sinorus_kg.export import write_atomic

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sinorus_kg.knowledge_graph import KnowledgeGraph

FORMATS = ("png", "svg", "pdf")
COARSE = ("unitYear", "unitDecade", "unitCentury")  # drawn hatched and lighter
NOT_STATED = "statusNotStated"
ONGOING = "statusOngoing"
FADE = 10.0  # a beginning or end the document does not give fades over this many marker widths

# Deterministic bytes: no software version or creation date in the file, fixed SVG ids.
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Creator": None, "Date": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}
_RC: dict[Any, Any] = {"svg.hashsalt": "sinorus-kg", "svg.fonttype": "path", "pdf.fonttype": 42,
                       "font.family": "DejaVu Sans", "font.size": 9.5}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # not locale-bound


@dataclass(frozen=True)
class Family:
    """A colour for a group of event classes (Okabe–Ito palette: readable by colour-blind eyes)."""

    label: str
    colour: str
    classes: tuple[str, ...]


FAMILIES = (
    Family("Visits", "#0072B2", ("Visit",)),
    Family("Meetings, talks, summits", "#56B4E9", ("Meeting", "Summit", "Consultation", "Negotiation")),
    Family("Agreements and declarations", "#009E73", ("AgreementEvent", "DeclarationOfIntent")),
    Family("Recognition, relations, states", "#CC79A7",
           ("DiplomaticRecognition", "DiplomaticRelationsEstablishment", "Normalisation", "StateDissolution")),
    Family("Conflicts and tensions", "#D55E00", ("BorderConflict", "Polemic", "Divergence", "ContactCessation")),
    Family("Exchanges, thematic years, ceremonies", "#E69F00", ("ExchangeExpansion", "ThematicYear", "Ceremony")),
)
OTHER = Family("Other events", "#999999", ())
# Dialogue mechanisms are not events; they are drawn beside them (mechanisms-timeline).
MECHANISMS = Family("Dialogue mechanisms", "#000000", ("DialogueMechanism",))


def event_families(kg: KnowledgeGraph) -> dict[str, str]:
    """Event IRI → family label, from ``events-timeline`` narrowed to each family's classes."""
    family_of: dict[str, str] = {}
    for family in FAMILIES:
        for cls in family.classes:
            for row in kg.query("events-timeline", {"kind": f"sr:{cls}"}).records():
                family_of.setdefault(str(row["event"]), family.label)
    return family_of


def placed(row: dict[str, Any]) -> dict[str, Any]:
    """An ``events-timeline`` row with where to draw it: ``start`` (the earliest it can have begun, or the
    latest if that is all the document gives), ``end`` (the latest it can have ended, or None when the end
    is open), ``known_until`` (the last day it was certainly going on), ``open`` ("not stated", "ongoing"
    or None) with ``as_of`` for an ongoing end, and ``coarse`` (given to the year or decade)."""
    start = row.get("earliestBegin") or row.get("latestBegin")
    latest_end = row.get("latestEnd")
    status = str(row.get("endStatus") or "")
    open_kind = None if latest_end is not None else ("ongoing" if status.endswith(ONGOING) else "not stated")
    known = [d for d in (row.get("latestBegin"), row.get("earliestEnd"), start) if isinstance(d, date)]
    precisions = (str(row.get("beginPrecision") or ""), str(row.get("endPrecision") or ""))
    return {**row, "start": start, "end": latest_end or (row.get("earliestEnd") if open_kind is None else None),
            "known_until": max(known) if known else start, "open": open_kind, "as_of": row.get("ongoingAsOf"),
            "coarse": any(p.endswith(COARSE) for p in precisions)}


def timeline_records(kg: KnowledgeGraph, *, kind: str | None = None, start: date | None = None,
                     end: date | None = None) -> list[dict[str, Any]]:
    """The rows of ``events-timeline`` (kept to ``events-in-period`` when a period is given), with a family
    and where to draw them (``placed``)."""
    rows = kg.query("events-timeline", {"kind": kind} if kind else None).records()
    if start is not None or end is not None:
        period = {"from": (start or date(1, 1, 1)).isoformat(), "to": (end or date(9999, 12, 31)).isoformat()}
        inside = {str(r["event"]) for r in kg.query("events-in-period", period).records()}
        rows = [r for r in rows if str(r["event"]) in inside]
    family_of = event_families(kg)
    drawn = [placed({**r, "family": family_of.get(str(r["event"]), OTHER.label)}) for r in rows]
    if kind is None or kind.rsplit("#", 1)[-1].rsplit(":", 1)[-1] == "DialogueMechanism":
        mechanisms = [placed({**r, "family": MECHANISMS.label}) for r in kg.query("mechanisms-timeline").records()]
        drawn += [m for m in mechanisms if m["start"] is not None and (start is None or _end_or_open(m) >= start)
                  and (end is None or m["start"] <= end)]
        drawn.sort(key=lambda r: (r["start"] or date.min, _end_or_open(r), str(r["event"])))
    return drawn


def _end_or_open(row: dict[str, Any]) -> date:
    """The latest the row can have ended, or the far future when its end is open (as events-in-period)."""
    return row["end"] if isinstance(row.get("end"), date) else date.max


def plot_timeline(kg: KnowledgeGraph, out: Path, *, kind: str | None = None, start: date | None = None,
                  end: date | None = None, fmt: str | None = None) -> Path:
    """Draw the events on a timeline picture and write it atomically; ``fmt`` defaults to the suffix."""
    fmt = (fmt or out.suffix.lstrip(".") or "png").lower()
    if fmt not in FORMATS:
        raise InputError(f"unknown picture format {fmt!r} (choose one of: {', '.join(FORMATS)})")
    if start and end and start > end:
        raise InputError(f"the period starts ({start}) after it ends ({end})")
    records = timeline_records(kg, kind=kind, start=start, end=end)
    if not records:
        what = f" of kind {kind}" if kind else ""
        period = f" between {start or '…'} and {end or '…'}" if start or end else ""
        raise InputError(f"no events{what}{period} to draw")
    title = "Soviet/Russian–Chinese relations: events and dialogue mechanisms of the document" if kind is None \
        else "Soviet/Russian–Chinese relations: events of the document"
    if kind:
        title += f" — {kind.rsplit('#', 1)[-1].rsplit(':', 1)[-1]}"
    if start or end:
        title += f", {start or '…'} to {end or '…'}"
    figure = timeline_figure(records, title, period=(start, end))
    write_atomic(out, render(figure, fmt))
    return out


def render(figure: Figure, fmt: str) -> bytes:
    """The picture's bytes, identical from run to run (no dates or versions, salted SVG ids)."""
    import matplotlib

    if fmt not in FORMATS:
        raise InputError(f"unknown picture format {fmt!r} (choose one of: {', '.join(FORMATS)})")
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        figure.savefig(buffer, format=fmt, metadata=_METADATA[fmt], dpi=110)
    return buffer.getvalue()


def short_label(text: str | None, width: int = 74) -> str:
    """A label that fits the lane: cut in the middle at word boundaries, so the end that tells
    similar events apart ("… in New York, 1985", "… of the G20 summit") stays."""
    words = (text or "(unlabelled event)").split()
    if len(" ".join(words)) <= width:
        return " ".join(words)
    head: list[str] = []
    tail: list[str] = []
    while len(" ".join(head + ["…"] + tail)) <= width:
        side, source = (head, words[len(head)]) if len(" ".join(head)) <= 2.5 * len(" ".join(tail)) \
            else (tail, words[-len(tail) - 1])
        side.insert(len(side) if side is head else 0, source)
    side.pop(len(side) - 1 if side is head else 0)  # the last word taken made it too long
    return " ".join(head + ["…"] + tail)


def timeline_figure(records: list[dict[str, Any]], title: str, *,
                    period: tuple[date | None, date | None] = (None, None)) -> Figure:
    """One lane per event, oldest on top: bars for spans, markers for days; an end the document
    does not give fades out, an end it describes as ongoing at its as-of date runs to that date
    and ends in an arrow.

    ``records`` are ``timeline_records`` rows (``events-timeline`` rows made ``placed``) with a
    ``family`` label. Each event's one main artist (bar or marker) links to the event's IRI
    (``url``: a hyperlink in SVG), so tests and readers can tell which is which. An event without
    any bound on its beginning cannot be placed and is left out (the QC queries forbid it).
    """
    import matplotlib
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    events = [r if "known_until" in r else placed(r) for r in records]
    events = [r for r in events if r.get("start") is not None]
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(13, 0.26 * len(events) + 2.4), layout="constrained")
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        lo = period[0] or min(r["start"] for r in events).replace(month=1, day=1)
        hi = period[1] or max(_end(r) for r in events if r.get("open") != "not stated").replace(month=12, day=31)
        zoom = _zoom_start(events, lo, hi)
        fwd, inv = _scale(mdates.date2num(lo), mdates.date2num(hi), mdates.date2num(zoom) if zoom else None)
        ax.set_xscale("function", functions=(fwd, inv))
        pad = 0.01 * (fwd(mdates.date2num(hi)) - fwd(mdates.date2num(lo)))
        left, right = inv(fwd(mdates.date2num(lo)) - pad), inv(fwd(mdates.date2num(hi)) + 2.5 * pad)  # room for ▶
        ax.set_xlim(left, right)
        visible = 0.006 * (fwd(right) - fwd(left))  # shorter than this on screen: a marker

        colours = {f.label: f.colour for f in (*FAMILIES, MECHANISMS, OTHER)}
        for lane, row in enumerate(events):
            _draw_event(ax, lane, row, colours.get(row.get("family", ""), OTHER.colour), fwd, inv, visible,
                        mdates.date2num(hi))

        ax.set_ylim(len(events) - 0.4, -0.6)
        ax.set_yticks(range(len(events)), [short_label(r.get("eventLabel")) for r in events])
        ax.tick_params(axis="y", length=0, labelsize=9.5)
        for lane in range(len(events)):
            ax.axhline(lane, color="#eeeeee", linewidth=0.6, zorder=0)
        _date_ticks(ax, lo, hi, zoom)
        ax.grid(axis="x", which="major", color="#d0d0d0", linewidth=0.7, zorder=0)
        ax.grid(axis="x", which="minor", color="#ececec", linewidth=0.5, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        if zoom:
            ax.axvspan(mdates.date2num(zoom), right, color="#f3f3f3", zorder=-1, linewidth=0)
            ax.text(mdates.date2num(zoom) + 8, -0.55, f"{zoom.year}–{hi.year}: scale enlarged",
                    fontsize=8, color="#666666", va="top", style="italic")

        present = [f for f in (*FAMILIES, MECHANISMS, OTHER) if any(r.get("family") == f.label for r in events)]
        handles: list[Any] = [Patch(facecolor=f.colour, edgecolor=f.colour, label=f.label) for f in present]
        drawn = {artist.get_label() for artist in (*ax.patches, *ax.lines)}
        keys = [
            Patch(facecolor="#777777", edgecolor="#777777", label="dated to the day or month"),
            Patch(facecolor=_light("#777777"), edgecolor="#777777", hatch="////",
                  label="dated to the year or decade"),
            Line2D([], [], color="#777777", marker="D", linestyle="", markersize=6,
                   label="one day (or too short to draw)"),
            Line2D([], [], color="#777777", marker=">", linestyle="-", markersize=6,
                   label="ongoing at the document's as-of date (drawn to it)"),
            Patch(facecolor=_fade("#777777"), edgecolor="none",
                  label="beginning or end not stated in the document (fades)"),
        ]
        drawn |= {"_unstated"} if drawn & {"_fade", "_fadein"} else set()
        handles += [key for key, kind in zip(keys, ("fine", "coarse", "point", "ongoing", "unstated"), strict=True)
                    if f"_{kind}" in drawn]
        figure.legend(handles=handles, loc="outside lower center", ncol=4, frameon=False, fontsize=9)
        figure.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")  # over the labels too: it is long
    return figure


def _element_id(iri: str) -> str:
    """A valid XML id for the SVG element (an IRI is not one): ``event-`` + the IRI's last segment."""
    return "event-" + iri.rstrip("/").rsplit("/", 1)[-1]


def _end(row: dict[str, Any]) -> date:
    """The last day the solid bar reaches: its latest end, the as-of date of an ongoing end, or the last
    day it was certainly going on when its end is not stated (a fade follows)."""
    if isinstance(row.get("end"), date):
        return row["end"]
    if row.get("open") == "ongoing" and isinstance(row.get("as_of"), date):
        return row["as_of"]
    return row.get("known_until") or row["start"]


def _fade_bar(ax: Axes, lane: int, colour: str, solid: float, faint: float, label: str) -> None:
    """A bar fading from ``solid`` (as opaque as a light bar) to ``faint`` (transparent): a beginning or end
    the document does not give."""
    from matplotlib.patches import Rectangle

    steps = 12
    width = (faint - solid) / steps
    for i in range(steps):
        alpha = 0.55 * (1 - (i + 1) / (steps + 1))
        ax.add_patch(Rectangle((solid + i * width, lane - 0.31), width, 0.62, zorder=1, linewidth=0,
                               facecolor=colour, alpha=alpha, label=label))


def _fade(colour: str) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    r, g, b, _ = to_rgba(colour)
    return (r, g, b, 0.15)


def _light(colour: str) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    r, g, b, _ = to_rgba(colour)
    return (r, g, b, 0.3)


def _zoom_start(events: list[dict[str, Any]], lo: date, hi: date) -> date | None:
    """Enlarge the last two years when at least a third of the events crowd into them."""
    last = max(r["start"] for r in events).year
    zoom = date(last - 1, 1, 1)
    crowded = sum(r["start"] >= zoom for r in events)
    if lo < zoom < hi and crowded * 3 >= len(events) and crowded < len(events) and (zoom - lo).days > 3 * 366:
        return zoom
    return None


def _scale(lo: float, hi: float, zoom: float | None) -> tuple[Any, Any]:
    """A piecewise-linear axis: the enlarged stretch after ``zoom`` takes 45% of the width."""
    import numpy as np

    if zoom is None:
        return (lambda x: np.asarray(x, dtype=float)), (lambda y: np.asarray(y, dtype=float))
    k = 0.45 * (zoom - lo) / (0.55 * max(hi - zoom, 1.0))

    def fwd(x: Any) -> Any:
        x = np.asarray(x, dtype=float)
        return np.where(x < zoom, x, zoom + (x - zoom) * k)

    def inv(y: Any) -> Any:
        y = np.asarray(y, dtype=float)
        return np.where(y < zoom, y, zoom + (y - zoom) / k)

    return fwd, inv


def _draw_event(ax: Axes, lane: int, row: dict[str, Any], colour: str, fwd: Any, inv: Any, visible: float,
                hi: float) -> None:
    from matplotlib import dates as mdates
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import ScaledTranslation

    iri = str(row["event"])
    coarse = bool(row.get("coarse"))
    x0 = float(mdates.date2num(row["start"]))
    if not row.get("earliestBegin") and not row.get("point"):  # a beginning not stated fades in
        _fade_bar(ax, lane, colour, x0, float(inv(fwd(x0) - FADE * visible)), "_fadein")
    if row.get("open") == "not stated":  # solid while certainly going on, then a fade: the end is not known
        x1 = float(mdates.date2num(row["known_until"] + timedelta(days=1)))
        ax.add_patch(Rectangle((x0, lane - 0.31), max(x1 - x0, 0.0), 0.62, gid=_element_id(iri), url=iri, zorder=2,
                               linewidth=1.0, label="_unstated", facecolor=_light(colour) if coarse else colour,
                               edgecolor=colour, hatch="////" if coarse else None))
        _fade_bar(ax, lane, colour, x1, float(min(inv(fwd(x1) + FADE * visible), hi)), "_fade")
        return
    x1 = float(mdates.date2num(_end(row) + timedelta(days=1)))  # the latest day counts in full
    if fwd(x1) - fwd(x0) < visible and row.get("open") == "ongoing":  # known only to be going on at the as-of date
        nudge = ScaledTranslation(5 / 72, 0, ax.figure.dpi_scale_trans)
        ax.plot([x0], [lane], marker=">", markersize=7, color=colour, zorder=3, clip_on=False, label="_ongoing",
                gid=_element_id(iri), url=iri, transform=ax.transData + nudge)
        return
    if fwd(x1) - fwd(x0) < visible:
        ax.plot([(x0 + x1) / 2], [lane], marker="D", markersize=6.5, linestyle="", gid=_element_id(iri), url=iri,
                zorder=3, label="_point", color=colour, markerfacecolor="white" if coarse else colour,
                markeredgewidth=1.4)
        return
    ax.add_patch(Rectangle((x0, lane - 0.31), x1 - x0, 0.62, gid=_element_id(iri), url=iri, zorder=2, linewidth=1.0,
                           label="_coarse" if coarse else "_fine", facecolor=_light(colour) if coarse else colour,
                           edgecolor=colour, hatch="////" if coarse else None))
    if row.get("open") == "ongoing":  # just past the bar's end (the as-of date), so it shows on a solid bar too
        nudge = ScaledTranslation(5 / 72, 0, ax.figure.dpi_scale_trans)
        ax.plot([x1], [lane], marker=">", markersize=7, color=colour, zorder=3, clip_on=False, label="_ongoing",
                transform=ax.transData + nudge)


def _date_ticks(ax: Axes, lo: date, hi: date, zoom: date | None) -> None:
    """Decades (or years) on the linear stretch, months on the enlarged one."""
    from matplotlib import dates as mdates
    from matplotlib.ticker import FixedFormatter, FixedLocator, NullFormatter

    major: list[tuple[date, str]] = []
    minor: list[date] = []
    segments = [(lo, zoom), (zoom, hi)] if zoom else [(lo, hi)]
    for a, b in segments:
        if (b - a).days > 4 * 366:
            step = 10 if (b - a).days > 30 * 366 else 5 if (b - a).days > 12 * 366 else 1
            years = range(a.year + ((a.month, a.day) > (1, 1)), b.year + 1)
            crowded = b.year - 4 if zoom and b == zoom else b.year + 1  # keep clear of the enlarged labels
            major += [(date(y, 1, 1), str(y)) for y in years if y % step == 0 and y < crowded]
            minor += [date(y, 1, 1) for y in years if (y % step and y % max(step // 2, 1) == 0)
                      or (y % step == 0 and y >= crowded)]
        else:
            month = date(a.year, a.month, 1)
            while month <= b:
                if month >= a:
                    if (month.month - 1) % 3 == 0:
                        name = _MONTHS[month.month - 1]
                        text = f"{name}\n{month.year}" if month.month == 1 or not major else name
                        major.append((month, text))
                    else:
                        minor.append(month)
                month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    ax.xaxis.set_major_locator(FixedLocator([mdates.date2num(d) for d, _ in major]))
    ax.xaxis.set_major_formatter(FixedFormatter([t for _, t in major]))
    ax.xaxis.set_minor_locator(FixedLocator([mdates.date2num(d) for d in minor]))
    ax.xaxis.set_minor_formatter(NullFormatter())
