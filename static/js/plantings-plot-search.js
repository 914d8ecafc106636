// Search as you type for plot and member pickers: typing a member's name, DNI or a code fills the
// input's <datalist> with matches (JSON {results: [{code, label}]} from the list's
// data-search-url: /plots/search/ or /members/search/). Choosing one leaves the code in the
// field. Without JavaScript the field still takes a code typed in full.
(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }
  document.querySelectorAll("input[data-plot-search], input[data-member-search]").forEach(setUp);

  function setUp(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || !list.dataset.searchUrl) {
      return;
    }
    var status = document.getElementById(list.id + "-status");
    var url = list.dataset.searchUrl;
    var timer = null;
    var lastQuery = "";

    function show(results) {
      list.replaceChildren();
      results.forEach(function (result) {
        var option = document.createElement("option");
        option.value = result.code;
        option.label = result.label;
        option.textContent = result.label;
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
          // Slow or lost connection: the field still accepts a typed code.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
  }
})();
