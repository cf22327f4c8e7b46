/* The case pages: the category search, the optional map pin, the photo count, select-all.
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

  function photoCount() {
    var input = document.getElementById("id_photos");
    var out = document.getElementById("photo-count");
    if (!input || !out) return;
    input.addEventListener("change", function () {
      var n = input.files.length;
      var max = parseInt(out.getAttribute("data-max"), 10);
      out.classList.toggle("error", n > max);
      out.textContent = n > max ? out.getAttribute("data-too-many")
        : (n ? n + " " + out.getAttribute("data-chosen") : "");
      input.setCustomValidity(n > max ? out.getAttribute("data-too-many") : "");
    });
  }

  function reportMap() {
    var box = document.getElementById("map-box");
    var el = document.getElementById("report-map");
    if (!box || !el || typeof L === "undefined") return;
    var map = null;
    var pin = null;
    var lat = document.getElementById("id_lat");
    var lng = document.getElementById("id_lng");
    var clear = document.getElementById("map-clear");

    function setPin(latlng, announce) {
      if (pin) pin.setLatLng(latlng); else pin = L.marker(latlng).addTo(map);
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      clear.hidden = false;
      if (announce) document.body.dispatchEvent(new Event("pinChanged"));
    }

    function build() {
      var points = JSON.parse(document.getElementById("map-points").textContent);
      map = L.map(el, { attributionControl: false });
      var tiles = el.getAttribute("data-tiles");
      if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
      var bounds = [];
      points.forEach(function (p) {
        var grid = p.kind === "grid";
        L.circleMarker([p.lat, p.lng], {
          radius: grid ? 9 : 5, color: grid ? "#1565c0" : "#2e7d32", weight: 2,
          fillOpacity: grid ? 0.15 : 0.6
        }).bindTooltip(p.name, { permanent: !grid, direction: "right" }).addTo(map);
        bounds.push([p.lat, p.lng]);
      });
      if (bounds.length > 1) map.fitBounds(bounds, { padding: [30, 30] });
      else if (bounds.length === 1) map.setView(bounds[0], 16);
      else map.setView([30.58, 114.28], 14);
      if (lat.value && lng.value) setPin(L.latLng(+lat.value, +lng.value), false);
      map.on("click", function (e) { setPin(e.latlng, true); });
    }

    box.addEventListener("toggle", function () {
      if (!box.open) return;
      if (!map) build(); else map.invalidateSize();
    });
    clear.addEventListener("click", function () {
      if (pin) { map.removeLayer(pin); pin = null; }
      lat.value = ""; lng.value = ""; clear.hidden = true;
      document.body.dispatchEvent(new Event("pinChanged"));
    });
    if (lat.value && lng.value) box.open = true;
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
  reportMap();
  pickAll();
})();
