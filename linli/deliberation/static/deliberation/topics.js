// Topics (议题): ask before a move that closes the topic, and keep one screening form open.
(function () {
  "use strict";
  var closing = ["action-merge", "action-refer", "action-decline"];
  closing.forEach(function (id) {
    var form = document.getElementById(id);
    if (!form) { return; }
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { button.setAttribute("aria-busy", "true"); }
    });
  });
  var details = document.querySelectorAll("#topic-actions details.action");
  details.forEach(function (d) {
    d.addEventListener("toggle", function () {
      if (!d.open) { return; }
      details.forEach(function (other) { if (other !== d) { other.open = false; } });
    });
  });
})();
