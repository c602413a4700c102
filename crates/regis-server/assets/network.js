// Regis: the network page's search. Typing part of an organisation's name highlights the
// matching nodes of the drawing (circles with data-label) and dims the others; the count is
// announced. No data leaves the page. Loaded as a file (the CSP allows no inline script).
(function () {
  "use strict";
  var input = document.getElementById("network-search");
  var status = document.getElementById("network-found");
  var drawing = document.getElementById("network-drawing");
  if (!input || !drawing) {
    return;
  }
  var nodes = drawing.querySelectorAll("circle[data-label]");
  var found = status ? status.getAttribute("data-found") || "" : "";
  function apply() {
    var q = input.value.trim().toLowerCase();
    var n = 0;
    for (var i = 0; i < nodes.length; i++) {
      var c = nodes[i];
      var hit = q !== "" && c.getAttribute("data-label").toLowerCase().indexOf(q) >= 0;
      if (hit) {
        n++;
      }
      c.setAttribute("data-match", q === "" ? "" : hit ? "yes" : "no");
      c.style.opacity = q === "" || hit ? "1" : "0.15";
      c.style.stroke = hit ? "#000" : "";
      c.style.strokeWidth = hit ? "2.5" : "";
    }
    if (status) {
      status.textContent = q === "" ? "" : found.replace("{n}", String(n));
    }
  }
  input.addEventListener("input", apply);
  drawing.setAttribute("data-ready", "true");
})();
