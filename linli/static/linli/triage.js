// Category suggestions on the report form (triage/_suggestions.html): the box asks for
// suggestions with the description's text as `text`, and a chip picks its category in the
// category picker. No inline scripts: the pages' CSP forbids them.
(function () {
  "use strict";

  function box() { return document.getElementById("category-suggestions"); }

  function radioFor(code) {
    var radios = document.querySelectorAll("#category-picker input[name=category]");
    return Array.prototype.find.call(radios, function (r) { return r.value === code; });
  }

  // The chip of the category chosen (by a chip or in the list) is marked, the others not.
  function markChosen() {
    var checked = document.querySelector("#category-picker input[name=category]:checked");
    document.querySelectorAll(".triage-chip").forEach(function (chip) {
      var chosen = checked !== null && chip.getAttribute("data-category") === checked.value;
      chip.classList.toggle("chosen", chosen);
      chip.setAttribute("aria-pressed", chosen ? "true" : "false");
    });
  }

  function choose(code) {
    var radio = radioFor(code);
    if (!radio) return;
    // A search in the picker may hide the option: clear it so the choice can be seen.
    var filter = document.getElementById("category-filter");
    var option = radio.closest(".category-option");
    if (filter && option && (option.hidden || option.closest(".category-group").hidden)) {
      filter.value = "";
      filter.dispatchEvent(new Event("input", { bubbles: true }));
    }
    radio.checked = true;
    // The duplicates box reloads on a change in the picker, as when the radio is clicked.
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    markChosen();
  }

  document.addEventListener("click", function (event) {
    var chip = event.target.closest(".triage-chip");
    if (chip) choose(chip.getAttribute("data-category"));
  });

  document.addEventListener("change", function (event) {
    if (event.target.closest("#category-picker")) markChosen();
  });

  // The box sends the text it reads, as `text`, whatever the field it reads is called.
  document.addEventListener("htmx:configRequest", function (event) {
    var el = box();
    if (!el || event.detail.elt !== el) return;
    var source = document.getElementById(el.getAttribute("data-text-from"));
    event.detail.parameters.text = source ? source.value.slice(0, 4000) : "";
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target === box()) markChosen();
  });
})();
