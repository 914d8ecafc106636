// Plot autocomplete for the planting form: typing a member's name, DNI or a plot code fills the
// <datalist> with matching plots (JSON from /plots/search/?q=). Choosing one leaves the plot code
// in the field. Without JavaScript the field still takes a plot code typed in full.
(function () {
  "use strict";
  var input = document.querySelector("input[data-plot-search]");
  var list = document.getElementById("plot-options");
  if (!input || !list || !window.fetch) {
    return;
  }
  var status = document.getElementById("plot-search-status");
  var url = list.dataset.searchUrl;
  var timer = null;
  var lastQuery = "";

  function show(results) {
    list.replaceChildren();
    results.forEach(function (plot) {
      var option = document.createElement("option");
      option.value = plot.code;
      option.label = plot.label;
      option.textContent = plot.label;
      list.appendChild(option);
    });
    if (status) {
      // The sentence comes translated from the page ("__N__ plots found").
      status.textContent = (status.dataset.template || "__N__").replace("__N__", results.length);
    }
  }

  function search() {
    var query = input.value.trim();
    if (query.length < 2 || query === lastQuery) {
      return;
    }
    // A code picked from the list is already complete: no need to search again.
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === query) {
        return;
      }
    }
    lastQuery = query;
    fetch(url + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        if (input.value.trim() === query) {
          show(data.results || []);
        }
      })
      .catch(function () {
        // Slow or lost connection: the field still accepts a typed plot code.
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
})();
