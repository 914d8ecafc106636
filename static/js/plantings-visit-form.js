// Visit form: "Add a sample tree" appends a measurement row from the formset's empty form
// (<template id="tree-row-template">) and counts it in the management form's TOTAL_FORMS.
// Without JavaScript the button stays hidden and the few empty rows already shown are used.
(function () {
  "use strict";
  var button = document.getElementById("add-tree-row");
  var template = document.getElementById("tree-row-template");
  var total = document.getElementById("id_trees-TOTAL_FORMS");
  var body = document.querySelector("#tree-rows tbody");
  if (!button || !template || !total || !body) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var number = String(index + 1);
    var label = (button.dataset.label || "__number__").replace("__number__", number);
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, number)
      .replace(/__label__/g, label);
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    body.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("select, input");
    if (first) {
      first.focus();
    }
  });
})();
