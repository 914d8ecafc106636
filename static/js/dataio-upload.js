// Upload with a progress bar: the file is sent with XMLHttpRequest so the browser reports the
// bytes sent; the server answers JSON (where to go next, or why the file was refused).
// Without JavaScript the form posts normally.
(function () {
  "use strict";
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    var bar = form.querySelector("[data-upload-bar]");
    var fill = bar ? bar.querySelector(".progress-bar") : null;
    var checking = form.querySelector("[data-upload-checking]");
    var errors = form.querySelector("[data-upload-errors]");
    var button = form.querySelector("button[type=submit]");

    function showErrors(list) {
      errors.textContent = list.join(" ");
      errors.classList.remove("d-none");
      button.disabled = false;
    }

    form.addEventListener("submit", function (event) {
      if (!window.FormData || !bar) { return; }
      event.preventDefault();
      errors.classList.add("d-none");
      button.disabled = true;
      bar.classList.remove("d-none");
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        var percent = Math.round((e.loaded / e.total) * 100);
        fill.style.width = percent + "%";
        fill.textContent = percent + "%";
        bar.setAttribute("aria-valuenow", String(percent));
        if (percent === 100 && checking) { checking.classList.remove("d-none"); }
      });
      request.addEventListener("load", function () {
        var data = null;
        try { data = JSON.parse(request.responseText); } catch (ignore) { data = null; }
        if (data && data.redirect) { window.location.assign(data.redirect); return; }
        if (checking) { checking.classList.add("d-none"); }
        showErrors(data && data.errors ? data.errors : [request.status + " " + request.statusText]);
      });
      request.addEventListener("error", function () {
        showErrors([form.getAttribute("data-network-error") || "Network error"]);
      });
      request.send(new FormData(form));
    });
  });
})();

// While a background job checks or imports an upload, poll its JSON status and move the bar;
// reload the page once the job is done (the server then shows the preview or the result).
// Without JavaScript the page offers a refresh link instead.
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
