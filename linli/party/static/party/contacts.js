// The visit form: show only the fields of what is raised (the server checks them all).
(function () {
  "use strict";
  var select = document.getElementById("visit-also");
  var box = document.getElementById("raise-box");
  if (!select || !box) { return; }
  function update() {
    var kind = select.value;
    box.hidden = !kind;
    box.querySelectorAll("[data-raise]").forEach(function (el) {
      el.hidden = el.getAttribute("data-raise") !== kind;
    });
  }
  select.addEventListener("change", update);
  update();
})();
