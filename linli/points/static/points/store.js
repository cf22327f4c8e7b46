/* The store page. After a refused redemption the server answers the store page itself
   (with the reason and the refusal's status) at the redeem address: put the store's own
   address back, so that a reload or the language switch shows the store instead of
   posting again, and bring the refused item into view. */
(function () {
  "use strict";
  var grid = document.getElementById("catalogue");
  if (!grid) return;
  var store = grid.getAttribute("data-store-url");
  if (store && window.location.pathname !== store && window.history.replaceState) {
    window.history.replaceState(null, "", store);
    document.querySelectorAll("input[name=next]").forEach(function (input) {
      input.value = store;
    });
  }
  var refused = grid.querySelector(".item-error");
  if (refused) refused.closest(".item-card").scrollIntoView({ block: "center" });
})();
