/* The case pages: the category search, the photo count, select-all (maps: maps.js).
   Everything here is an enhancement: the forms work without it. */
(function () {
  "use strict";

  function categoryFilter() {
    var input = document.getElementById("category-filter");
    var list = document.getElementById("category-list");
    if (!input || !list) return;
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      list.querySelectorAll(".category-group").forEach(function (group) {
        var visible = 0;
        group.querySelectorAll(".category-option").forEach(function (option) {
          var text = option.getAttribute("data-search").toLowerCase();
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          option.hidden = !match;
          if (match) visible += 1;
        });
        group.hidden = visible === 0;
        shown += visible;
      });
      document.getElementById("category-none").hidden = shown !== 0;
    });
    // Enter in the search box picks the only match instead of sending the form.
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var options = list.querySelectorAll(".category-option:not([hidden]) input");
      var visible = Array.prototype.filter.call(options, function (o) {
        return !o.closest(".category-group").hidden;
      });
      if (visible.length === 1) {
        visible[0].checked = true;
        visible[0].dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  // Photos held from before (core/held.py) count too, less those ticked for removal.
  function photoCount() {
    var input = document.getElementById("id_photos");
    var out = document.getElementById("photo-count");
    if (!input || !out) return;
    var removes = document.querySelectorAll("#held-photos input[name=remove_photo]");
    function update() {
      var kept = Array.prototype.filter.call(removes, function (box) {
        return !box.checked;
      }).length;
      var n = input.files.length + kept;
      var max = parseInt(out.getAttribute("data-max"), 10);
      out.classList.toggle("error", n > max);
      out.textContent = n > max ? out.getAttribute("data-too-many")
        : (n ? n + " " + out.getAttribute("data-chosen") : "");
      input.setCustomValidity(n > max ? out.getAttribute("data-too-many") : "");
    }
    input.addEventListener("change", update);
    removes.forEach(function (box) { box.addEventListener("change", update); });
    update();
  }

  function pickAll() {
    var all = document.getElementById("pick-all");
    if (!all) return;
    all.addEventListener("change", function () {
      document.querySelectorAll("#bulk-form .case-pick").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }

  categoryFilter();
  photoCount();
  pickAll();
})();
