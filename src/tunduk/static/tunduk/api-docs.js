/* The API docs (Swagger UI) draw their controls by script; what they draw without a name or
   out of keyboard reach is completed here as it appears (WCAG 2.1.1, 4.1.2; axe-core's
   scrollable-region-focusable, select-name, button-name, label-content-name-mismatch). */
(function () {
  "use strict";
  var docs = document.getElementById("swagger-ui");
  var closeLabel = docs.dataset.closeLabel || "Close"; // translated by the page
  function complete(root) {
    root.querySelectorAll("pre.microlight:not([tabindex])").forEach(function (pre) {
      pre.tabIndex = 0; // a scrolling example can be scrolled with the keyboard
    });
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
    });
    root.querySelectorAll("button.close-modal:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", closeLabel);
    });
    root.querySelectorAll("button.modal-btn.authorize[aria-label]").forEach(function (button) {
      button.removeAttribute("aria-label"); // its visible "Authorize" is its name
    });
  }
  new MutationObserver(function () { complete(docs); }).observe(docs, { childList: true, subtree: true });
})();
