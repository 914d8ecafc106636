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
