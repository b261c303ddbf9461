/* What the pages do in the browser, kept out of the HTML so that the
   Content-Security-Policy can refuse every inline script and event handler. */
(function () {
  "use strict";

  /* Add a row to an editable list by copying the formset's empty row. */
  document.querySelectorAll("button.add-row").forEach(function (button) {
    button.addEventListener("click", function () {
      var name = button.dataset.formset;
      var total = document.getElementById("id_" + name + "-TOTAL_FORMS");
      var template = document.getElementById(name + "-empty-row");
      var html = template.innerHTML.replace(/__prefix__/g, total.value);
      document.querySelector("#" + name + "-rows tbody").insertAdjacentHTML("beforeend", html);
      total.value = parseInt(total.value, 10) + 1;
    });
  });

  /* On a phone a table is shown as cards: each cell gets its column's heading as a label. */
  function labelCells(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      if (!headings.length) {
        return;
      }
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (headings[index] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", headings[index]);
          }
        });
      });
    });
  }
  labelCells(document);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    labelCells(event.target.closest("table") || event.target);
  });

  /* Select a secret shown once, ready to copy, when it gets the focus. */
  document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () {
      input.select();
    });
  });
})();
