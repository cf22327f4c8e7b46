/* The registry pages. A refused reveal answers 400/403 with the field and its message:
   swap that fragment in too (htmx leaves error responses out by default). */
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 400 || status === 403) && event.detail.target.closest("[data-reveal]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

/* The visit form: the case's category and description show only while "raise a case" is
   ticked (without scripts they always show, and the server ignores them unless ticked). */
(function () {
  "use strict";
  document.querySelectorAll("[data-toggle-by]").forEach(function (part) {
    var box = document.getElementById(part.getAttribute("data-toggle-by"));
    if (!box) return;
    function show() { part.hidden = !box.checked; }
    box.addEventListener("change", show);
    show();
  });
})();
