// While a background job works (an import's check or import, an export's file), poll its JSON
// status ({status, label, progress, running}) and move the bar; reload the page once the job is
// done (the server then shows the result). Without JavaScript the page offers a refresh link.
(function () {
  "use strict";
  document.querySelectorAll("[data-job-status]").forEach(function (box) {
    var url = box.getAttribute("data-job-status");
    var bar = box.querySelector("[data-job-bar]");
    var label = box.querySelector("[data-job-label]");
    var failures = 0;

    function poll() {
      var request = new XMLHttpRequest();
      request.open("GET", url);
      request.setRequestHeader("Accept", "application/json");
      request.addEventListener("load", function () {
        var data = null;
        try { data = JSON.parse(request.responseText); } catch (ignore) { data = null; }
        if (request.status !== 200 || !data) { retry(); return; }
        failures = 0;
        bar.value = data.progress;
        bar.textContent = data.progress + "%";
        label.textContent = data.label.charAt(0).toUpperCase() + data.label.slice(1) + "…";
        if (data.running) { window.setTimeout(poll, 1500); } else { window.location.reload(); }
      });
      request.addEventListener("error", retry);
      request.send();
    }

    function retry() {
      failures += 1;
      window.setTimeout(poll, Math.min(30000, 1500 * Math.pow(2, failures)));
    }

    window.setTimeout(poll, 1000);
  });
})();
