"""The analyst's pages in a real browser (Debian's Chromium driven by Playwright) against the
service on 127.0.0.1: the editor, the catalogue, entity pages, the document reader, search,
languages — and no request leaves this server while loading, typing or running."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from browser import launched
from service import Running, running

from sinorus_kg.knowledge_graph import KnowledgeGraph

VISITS = "SELECT ?visit ?date WHERE { ?visit a sr:Visit ; time:hasTime/sr:earliestBegin ?date . } ORDER BY ?date"


@pytest.fixture(scope="module")
def server() -> Iterator[Running]:
    with running(workers=3, timeout=10.0) as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched() as b:
        yield b


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph("oxigraph")


class Recorded:
    def __init__(self, server: Running):
        self.base = server.url
        self.urls: list[str] = []

    def outside(self) -> list[str]:
        local = (self.base + "/", "data:", "blob:", "about:")
        return [u for u in self.urls if not u.startswith(local)]


@pytest.fixture
def page(browser: Any, server: Running) -> Iterator[Any]:
    """A fresh browser page; every request it makes is recorded and must stay on this server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorded = Recorded(server)
    context.on("request", lambda request: recorded.urls.append(request.url))
    page = context.new_page()
    page.recorded = recorded
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        context.close()
    assert recorded.urls, "the page made no request at all"
    assert recorded.outside() == [], f"requests left the server: {recorded.outside()}"


def editor_value(page: Any) -> str:
    return str(page.evaluate("() => window.sinorusWorkbench.getTab().getYasqe().getValue()"))


def result_rows(page: Any) -> list[str]:
    page.wait_for_selector(".yasr .dataTable tbody tr")
    return [str(t) for t in page.locator(".yasr .dataTable tbody tr").all_inner_texts()]


def result_iris(page: Any) -> list[str]:
    result_rows(page)
    return [str(a.get_attribute("title")) for a in page.locator(".yasr .dataTable tbody a.iri").all()]


def test_type_a_query_and_run_it_with_ctrl_enter(page: Any, server: Running, kg: KnowledgeGraph) -> None:
    page.goto(server.url + "/")
    page.wait_for_function("() => window.sinorusWorkbench && window.sinorusWorkbench.getTab()")
    page.locator(".CodeMirror").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(VISITS, delay=5)  # the prefix sr: is declared by the editor as it is typed
    page.keyboard.press("Escape")
    page.locator(".CodeMirror").first.click()
    page.keyboard.press("Control+Enter")
    rows = result_rows(page)
    expected = kg.sparql(VISITS).rows
    assert len(rows) == len(expected)
    assert "2013-03-22" in "\n".join(rows) and "2014-04-15" in "\n".join(rows)  # sentences 18 and 26
    assert "PREFIX sr:" in editor_value(page)


def hints(page: Any) -> str:
    """The completion list, asked for with Ctrl+Space if it did not open by itself while typing."""
    try:
        page.wait_for_selector(".CodeMirror-hints li", timeout=5_000)
    except Exception:
        page.keyboard.press("Control+Space")
        page.wait_for_selector(".CodeMirror-hints li")
    return " ".join(page.locator(".CodeMirror-hints li").all_inner_texts())


def test_completion_asks_this_server(page: Any, server: Running) -> None:
    page.goto(server.url + "/")
    page.wait_for_function("() => window.sinorusWorkbench && window.sinorusWorkbench.getTab()")
    page.locator(".CodeMirror").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("SELECT * WHERE { person:xi", delay=20)
    shown = hints(page)
    assert "person:xi-jinping" in shown and "Xi Jinping" in shown
    page.keyboard.press("Escape")  # closes the list; Escape may also leave the editor: click back in
    page.locator(".CodeMirror").first.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" ?p ?o . ?s a sr:Pers", delay=20)
    page.keyboard.press("Control+Space")
    assert "sr:Person" in hints(page)
    assert any("/complete?" in u for u in page.recorded.urls)


def test_a_syntax_error_keeps_the_query_and_shows_the_message(page: Any, server: Running) -> None:
    broken = "SELECT ?x WHERE {\n  ?x a sr:Visit\n  FILTER(\n}\n"
    page.goto(server.url + "/#" + "query=" + quote(broken))
    page.wait_for_function("() => window.sinorusWorkbench && window.sinorusWorkbench.getTab()")
    page.locator(".CodeMirror").first.click()
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".yasr .errorResult, .yasr_results .error, .yasr .error", state="attached")
    shown = page.locator(".yasr").inner_text()
    assert re.search(r"syntax|error|expected", shown, re.I), shown
    assert "FILTER(" in editor_value(page) and "sr:Visit" in editor_value(page)


def test_catalogue_form_picker_result_link_entity_and_document(page: Any, server: Running) -> None:
    page.goto(server.url + "/queries")
    page.fill("#catalogue-search", "events of a person")
    assert page.locator("li.query:not([hidden])").count() >= 1
    page.locator("li.query:not([hidden]) h2 a", has_text="events-of-person").click()
    page.select_option("#param-person", label="Sergey Lavrov")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url(re.compile(r"/queries/events-of-person\?person="))
    assert page.locator("#param-person option:checked").inner_text() == "Sergey Lavrov"  # the value stays
    table = page.locator("table.results")
    assert "Conversation of Sergey Lavrov with Xi Jinping" in table.inner_text()
    table.get_by_role("link", name="Conversation of Sergey Lavrov with Xi Jinping").click()
    page.wait_for_url(re.compile(r"/id/event/"))
    quote_block = page.locator("blockquote.sentence").first
    assert "Lavrov had a conversation with Chinese President Xi Jinping" in quote_block.inner_text()
    quote_block.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/source"))
    marked = page.locator(".srow.highlight")
    assert marked.count() == 1 and "Lavrov had a conversation" in marked.inner_text()
    assert page.evaluate("() => document.querySelector(':target') === document.querySelector('.srow.highlight')")


def test_open_a_stored_query_in_the_editor_and_run_it(page: Any, server: Running, kg: KnowledgeGraph) -> None:
    page.goto(server.url + "/queries/events-of-person?person=person%3Asergey-lavrov")
    page.locator("#open-in-editor").click()
    page.wait_for_function("() => window.sinorusWorkbench && window.sinorusWorkbench.getTab()")
    text = editor_value(page)
    assert "VALUES" in text and "sergey-lavrov" in text
    page.locator(".CodeMirror").first.click()
    page.keyboard.press("Control+Enter")
    rows = result_rows(page)
    assert len(rows) == len(kg.query("events-of-person", {"person": "person:sergey-lavrov"}).rows)


def test_a_permalink_reproduces_a_result(page: Any, browser: Any, server: Running) -> None:
    page.goto(server.url + "/#query=" + quote("PREFIX sr: <https://w3id.org/sinorus/ontology#>\n" + VISITS))
    page.wait_for_function("() => window.sinorusWorkbench && window.sinorusWorkbench.getTab()")
    page.locator(".CodeMirror").first.click()
    page.keyboard.press("Control+Enter")
    first = result_iris(page)
    assert len(first) >= 10
    link = page.evaluate("() => window.sinorusWorkbench.getTab().getShareableLink()")
    assert str(link).startswith(server.url + "/")
    other = browser.new_context()
    try:
        fresh = other.new_page()
        fresh.goto(str(link))
        fresh.wait_for_function("() => window.sinorusWorkbench && window.sinorusWorkbench.getTab()")
        fresh.locator(".CodeMirror").first.click()
        fresh.keyboard.press("Control+Enter")
        assert result_iris(fresh) == first
    finally:
        other.close()


def test_a_permalink_to_another_endpoint_stays_here(page: Any, server: Running) -> None:
    page.goto(server.url + "/#" + "query=" + quote("ASK {}") + "&endpoint=" + quote("https://query.wikidata.org/sparql"))
    page.wait_for_function("() => window.sinorusWorkbench && window.sinorusWorkbench.getTab()")
    assert page.evaluate("() => window.sinorusWorkbench.getTab().getEndpoint()") == server.url + "/sparql"


def test_a_timeline_view_renders(page: Any, server: Running) -> None:
    page.goto(server.url + "/queries/events-of-person")
    figure = page.locator("#timeline svg.timeline")
    assert figure.count() == 1
    bars = page.locator("#timeline svg a")
    assert bars.count() >= 5 and all(h.startswith("/id/event/") for h in
                                      [bars.nth(i).get_attribute("href") or bars.nth(i).get_attribute("xlink:href")
                                       or "" for i in range(bars.count())])


@pytest.mark.parametrize(("text", "person"), [("Путин", "Vladimir Putin"), ("习近平", "Xi Jinping"),
                                              ("USSR", "Soviet Union")])
def test_search_in_three_languages(page: Any, server: Running, text: str, person: str) -> None:
    page.goto(server.url + "/source")
    page.fill("header form.search input[name=q]", text)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    hits = page.locator("ol.hits li a").first
    assert person in hits.inner_text()
    hits.click()
    page.wait_for_url(re.compile(r"/id/"))
    assert page.locator("h1").inner_text() == person


def test_lang_zh_labels_a_result_table_in_chinese(page: Any, server: Running) -> None:
    page.goto(server.url + "/queries/events-of-person?lang=zh")
    table = page.locator("table.results")
    assert "习近平" in table.inner_text()
    page.goto(server.url + "/id/person/xi-jinping?lang=ru")
    assert page.locator("h1").inner_text() == "Си Цзиньпин"


def test_phone_width_pages_fit(browser: Any, server: Running) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        for path in ("/", "/queries", "/queries/events-of-person", "/id/person/xi-jinping", "/source"):
            page.goto(server.url + path)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 400, f"{path} is {width}px wide on a 390px screen"
    finally:
        context.close()
