// The query page: YASGUI set up for this server only.
// - one endpoint (this server's /sparql): no endpoint catalogue, and permalinks or stored tabs naming
//   another endpoint are pointed back here (the page's CSP refuses other hosts anyway);
// - completion asks this server (/complete) instead of lov.linkeddata.es; prefixes are the project's;
// - IRIs in result tables show their label in the page's language and link to this server's pages;
// - a history of the queries run, kept in this browser.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("workbench-config").textContent);
  var Yasgui = window.Yasgui, Yasqe = Yasgui.Yasqe, Yasr = Yasgui.Yasr;
  var endpoint = window.location.origin + config.endpoint;
  var prefixes = config.prefixes;
  var RESOURCES = prefixes.srid, ONTOLOGY = prefixes.sr, QUERIES = "https://w3id.org/sinorus/queries/";
  var labels = {};

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function localHref(iri) {
    if (iri.indexOf(RESOURCES) === 0) { return "/id/" + iri.slice(RESOURCES.length); }
    if (iri.indexOf(ONTOLOGY) === 0) { return "/ontology#" + iri.slice(ONTOLOGY.length); }
    if (iri.indexOf(QUERIES) === 0) { return "/queries/" + iri.slice(QUERIES.length); }
    return null;
  }
  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.statusText); } return r.json(); });
  }

  // --- completion from this server -----------------------------------------------------------
  var base = Yasqe.Autocompleters;
  Yasqe.registerAutocompleter(Object.assign({}, base.prefixes, {
    persistenceId: null,
    get: function () {
      return Promise.resolve(Object.keys(prefixes).sort().map(function (p) { return p + ": <" + prefixes[p] + ">"; }));
    }
  }));
  function fromServer(kind) {
    return function (yasqe, token) {
      var text = token && (token.autocompletionString || token.string) || "";
      return getJson("/complete?" + new URLSearchParams({ kind: kind, q: text, lang: config.lang }))
        .then(function (items) {
          items.forEach(function (item) { if (item.label) { labels[item.iri] = item.label; } });
          return items.map(function (item) { return item.iri; });
        }).catch(function () { return []; });
    };
  }
  function withLabels(yasqe, hints) {
    return hints.map(function (hint) {
      var iri = hint.text.charAt(0) === "<" ? hint.text.slice(1, -1) : expand(yasqe, hint.text);
      if (iri && labels[iri]) { hint.displayText = hint.text + "  — " + labels[iri]; }
      return hint;
    });
  }
  function expand(yasqe, name) {
    var declared = yasqe.getPrefixesFromQuery(), i = name.indexOf(":");
    var ns = i > 0 ? (declared[name.slice(0, i)] || prefixes[name.slice(0, i)]) : null;
    return ns ? ns + name.slice(i + 1) : null;
  }
  Yasqe.registerAutocompleter(Object.assign({}, base.property, { get: fromServer("property"), postprocessHints: withLabels }));
  Yasqe.registerAutocompleter(Object.assign({}, base["class"], { get: fromServer("class"), postprocessHints: withLabels }));
  var resourcePrefixes = Object.keys(prefixes).filter(function (p) { return prefixes[p].indexOf(RESOURCES) === 0; });
  Yasqe.registerAutocompleter({
    name: "entity", bulk: false, autoShow: true,
    isValidCompletionPosition: function (yasqe) {
      var token = yasqe.getCompleteToken(), text = token.string || "";
      if (text.charAt(0) === "?" || text.charAt(0) === "$") { return false; }
      if (text.indexOf("<" + RESOURCES) === 0) { return true; }
      var i = text.indexOf(":");
      return i > 0 && resourcePrefixes.indexOf(text.slice(0, i)) >= 0;
    },
    preProcessToken: base["class"].preProcessToken,
    postProcessSuggestion: base["class"].postProcessSuggestion,
    get: fromServer("entity"),
    postprocessHints: withLabels
  });

  // --- result tables: labels and links to this server's pages ----------------------------------
  var Table = Yasr.plugins.table;
  Table.defaults.openIriInNewWindow = false;
  Table.prototype.getUriLinkFromBinding = function (binding, known) {
    var iri = binding.value, shown = iri;
    for (var p in known) {
      if (known[p] && iri.indexOf(known[p]) === 0) { shown = p + ":" + iri.slice(known[p].length); break; }
    }
    var href = localHref(iri) || iri, label = labels[iri];
    if (!label && !asked[iri]) { wantLabel(iri, this.yasr); }
    var text = label ? escapeHtml(label) + " <small class='prefixed'>" + escapeHtml(shown) + "</small>"
      : (shown === iri ? "&lt;" + escapeHtml(iri) + "&gt;" : escapeHtml(shown));
    var external = localHref(iri) ? "" : " rel='noopener noreferrer'";
    return "<a class='iri' href='" + escapeHtml(href) + "' title='" + escapeHtml(iri) + "'" + external + ">" + text + "</a>";
  };

  // labels for the IRIs a table shows, asked of this server once, then the table is drawn again
  var asked = {}, pending = {}, tables = [], timer = null;
  function wantLabel(iri, yasr) {
    asked[iri] = true;
    pending[iri] = true;
    if (tables.indexOf(yasr) < 0) { tables.push(yasr); }
    if (!timer) { timer = setTimeout(fetchLabels, 0); }
  }
  function fetchLabels() {
    var wanted = Object.keys(pending).slice(0, 5000), redraw = tables;
    pending = {}; tables = []; timer = null;
    fetch("/labels?" + new URLSearchParams({ lang: config.lang }), {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(wanted), credentials: "same-origin"
    }).then(function (r) { return r.ok ? r.json() : {}; }).then(function (found) {
      Object.assign(labels, found);
      if (Object.keys(found).length) { redraw.forEach(function (yasr) { yasr.draw(); }); }
    }).catch(function () {});
  }

  // --- YASGUI for this endpoint only --------------------------------------------------------------
  function here(tabConfig) {
    var request = tabConfig.requestConfig || (tabConfig.requestConfig = {});
    request.endpoint = endpoint;
    request.headers = {};
    request.args = [];
    request.namedGraphs = [];
    request.defaultGraphs = [];
    return tabConfig;
  }
  Yasgui.defaults.yasqe.value = config.example;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    populateFromUrl: here,
    persistenceId: "sinorus-kg",
    autofocus: true,
    yasqe: { value: config.example, autocompleters: ["prefixes", "property", "class", "entity", "variables"] },
    yasr: { prefixes: prefixes, pluginOrder: ["table", "response"], defaultPlugin: "table" }
  });
  function pin(tab) { if (tab && tab.getEndpoint && tab.getEndpoint() !== endpoint) { tab.setEndpoint(endpoint); } }
  Object.keys(yasgui._tabs).forEach(function (id) { pin(yasgui.getTab(id)); });
  yasgui.on("tabAdd", function (instance, id) { pin(yasgui.getTab(id)); });
  yasgui.on("tabSelect", function (instance, id) { setTimeout(function () { pin(yasgui.getTab(id)); }, 0); });

  // --- history ------------------------------------------------------------------------------------
  var KEY = "sinorus-kg.history", list = document.getElementById("history-list");
  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function show() {
    if (!list) { return; }
    list.textContent = "";
    load().forEach(function (item) {
      var li = document.createElement("li"), button = document.createElement("button");
      button.type = "button";
      button.textContent = item.query.length > 300 ? item.query.slice(0, 300) + "…" : item.query;
      button.title = new Date(item.at).toLocaleString();
      button.addEventListener("click", function () { yasgui.getTab().getYasqe().setValue(item.query); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }
  yasgui.on("query", function (instance, tab) {
    var query = tab.getQuery(), items = load().filter(function (x) { return x.query !== query; });
    items.unshift({ query: query, at: Date.now() });
    try { localStorage.setItem(KEY, JSON.stringify(items.slice(0, 50))); } catch (e) { /* full: keep going */ }
    show();
  });
  show();
  window.sinorusWorkbench = yasgui;
})();
