// sinorus-kg pages: sortable result tables and the catalogue's live filter. No request leaves the page.
(function () {
  "use strict";
  function sortTable(th) {
    var table = th.closest("table"), body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (x) { x.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    function key(row) { var c = row.cells[index]; return c ? (c.getAttribute("data-sort") || c.textContent) : ""; }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
      var r = (!isNaN(nx) && !isNaN(ny) && /^-?[\d.]+$/.test(x) && /^-?[\d.]+$/.test(y)) ? nx - ny
        : x.localeCompare(y, undefined, { numeric: true });
      return ascending ? r : -r;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("table.sortable th button.sort");
    if (button) { sortTable(button.closest("th")); }
  });
  var search = document.getElementById("catalogue-search");
  if (search) {
    var count = document.getElementById("catalogue-count");
    var items = document.querySelectorAll("ol.catalogue li.query");
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
      items.forEach(function (li) {
        var text = li.getAttribute("data-search") || "";
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        li.hidden = !ok; if (ok) { shown++; }
      });
      if (count) { count.textContent = shown + " of " + items.length + " queries"; }
    });
  }
})();
