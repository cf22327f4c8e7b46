// Votes pages: the draft form shows only the fields its choices need; a ballot of several
// choices stops at the maximum. Works without it: the server checks everything.
(function () {
  "use strict";
  var form = document.getElementById("vote-form");
  if (form) {
    var show = function (selector, on) {
      form.querySelectorAll(selector).forEach(function (el) {
        el.classList.toggle("hidden-part", !on);
      });
    };
    var update = function () {
      var electorate = form.querySelector("[name=electorate]").value;
      var kind = form.querySelector("[name=kind]:checked");
      show(".for-members", electorate === "members");
      show(".for-owners", electorate === "owners");
      show(".for-choices", kind && kind.value === "choices");
      show(".for-custom", form.querySelector("[name=threshold]").value === "custom");
    };
    form.addEventListener("change", update);
    update();
  }
  document.querySelectorAll(".ballot-form[data-max]").forEach(function (ballot) {
    var max = parseInt(ballot.getAttribute("data-max"), 10) || 1;
    ballot.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type !== "checkbox" || !target.checked) { return; }
      if (ballot.querySelectorAll("input[type=checkbox][name=choice]:checked").length > max) {
        target.checked = false;
      }
    });
  });
})();
