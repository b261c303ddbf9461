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

  /* Switch the language as soon as one is chosen (a button does it without scripts). */
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  /* Select a secret shown once, ready to copy, when it gets the focus. */
  document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () {
      input.select();
    });
  });
})();
