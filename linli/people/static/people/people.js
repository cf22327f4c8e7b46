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
