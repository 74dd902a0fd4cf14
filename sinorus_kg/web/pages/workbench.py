"""The query page (``/``): YASGUI — editor with highlighting, completion, Ctrl+Enter, error
markers; results as sortable, paged tables with downloads; permalinks; history — set up for
this endpoint only (``static/workbench.js``): no endpoint catalogue, completion from this
server, the project's prefixes, and IRIs in results linking to this server's pages."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from sinorus_kg.namespaces import PREFIXES
from sinorus_kg.web.pages.common import Ctx, esc, layout, page_response

EXAMPLE = """PREFIX sr: <https://w3id.org/sinorus/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX time: <http://www.w3.org/2006/time#>

# Visits, oldest first (Ctrl+Enter runs the query; Ctrl+Space completes names)
SELECT ?visit ?visitLabel ?date WHERE {
  ?visit a sr:Visit ;
         rdfs:label ?visitLabel ;
         time:hasTime/sr:earliestBegin ?date .
  FILTER(lang(?visitLabel) = "en")
}
ORDER BY ?date
"""


async def home(request: Request) -> Response:
    ctx = Ctx.of(request)
    config = {"prefixes": PREFIXES, "example": EXAMPLE, "lang": ctx.lang, "endpoint": "/sparql",
              "limits": ctx.svc.limits()}
    data = json.dumps(config).replace("</", "<\\/")  # cannot close the script element
    body = f"""<h1 class="visually-hidden">Query the knowledge graph</h1>
<p class="lead">SPARQL over the release ({esc(ctx.svc.limits())}; read-only: no updates, SERVICE, LOAD or FROM).
Ctrl+Enter runs, Ctrl+Space completes; the share button in the editor gives a permalink.
New here? Start from a <a href="{esc(ctx.href('/queries'))}">stored query</a> or read
<a href="{esc(ctx.href('/source'))}">the document</a>.</p>
<div id="yasgui"></div>
<details id="history"><summary>History</summary><ol id="history-list"></ol></details>
<script type="application/json" id="workbench-config">{data}</script>"""
    page = layout(ctx, "Query", body, scripts=("yasgui/yasgui.min.js", "workbench.js"),
                  styles=("yasgui/yasgui.min.css",), wide=True)
    return page_response(page)


async def results_page(request: Request, query: str, result: object, tag: str) -> Response:
    """``/sparql?query=…&format=html``: the results as a labelled table, the query kept, a link to the editor."""
    from urllib.parse import quote, urlencode

    from sinorus_kg.web.pages import results

    ctx = Ctx.of(request)
    assert hasattr(result, "kind")
    labels = await ctx.labels(results.iris_of(result))  # type: ignore[arg-type]
    editor = "/#" + urlencode({"query": query}, quote_via=quote)
    body = (f'<h1>Results</h1><pre class="sparql">{esc(query)}</pre>'
            f'<p class="actions"><a href="{esc(editor)}">Open in the editor</a></p>'
            + results.table(ctx, result, labels))  # type: ignore[arg-type]
    return page_response(layout(ctx, "Results", body, scripts=("pages.js",), wide=True), 200, {"ETag": tag})
