/* Every map in Linli: <div class="linli-map" data-...> (core/_map.html), drawn on page load
   and after HTMX swaps. Area shapes show the place even with no basemap (intranets often
   have no tile server); cases are markers coloured by traffic light; a map may pick a pin.
   Attributes: data-tiles, data-areas | data-areas-url, data-cases | data-cases-url,
   data-visits, data-cluster, data-pick-lat + data-pick-lng (+ data-pick-clear),
   data-preview (a textarea of GeoJSON drawn as it is edited). */
(function () {
  "use strict";

  var KIND_STYLE = {
    street: { color: "#616161", weight: 2, fillOpacity: 0.02, dashArray: "6 4" },
    community: { color: "#37474f", weight: 3, fillOpacity: 0.03 },
    grid: { color: "#1565c0", weight: 2, fillOpacity: 0.06, dashArray: "8 4" },
    estate: { color: "#2e7d32", weight: 2, fillColor: "#a5d6a7", fillOpacity: 0.35 },
    building: { color: "#6d4c41", weight: 1, fillColor: "#bcaaa4", fillOpacity: 0.8 }
  };
  var LABELLED = { community: true, grid: true, estate: true };
  var LIGHT_RANK = { red: 3, yellow: 2, green: 1, "": 0 };
  var FALLBACK_CENTRE = [30.58, 114.28];

  function textNode(value) {
    // Leaflet puts a string tooltip in as HTML; names are typed by people, so as text.
    var span = document.createElement("span");
    span.textContent = String(value || "");
    return span;
  }

  function jsonFrom(id) {
    var script = id && document.getElementById(id);
    return script ? JSON.parse(script.textContent) : null;
  }

  function load(el, name, done) {
    var inline = jsonFrom(el.getAttribute("data-" + name));
    if (inline) { done(inline); return; }
    var url = el.getAttribute("data-" + name + "-url");
    if (!url) { done(null); return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(done, function () { done(null); });
  }

  function areaLayer(collection) {
    return L.geoJSON(collection, {
      pmIgnore: true,
      style: function (f) {
        var kind = f.properties.kind;
        return L.extend({ className: "linli-area linli-area-" + kind },
                        KIND_STYLE[kind] || KIND_STYLE.estate);
      },
      pointToLayer: function (f, latlng) {
        var s = KIND_STYLE[f.properties.kind] || KIND_STYLE.estate;
        return L.circleMarker(latlng, { radius: 5, color: s.color, weight: 2,
                                        fillOpacity: 0.5 });
      },
      onEachFeature: function (f, layer) {
        var kind = f.properties.kind;
        layer.bindTooltip(textNode(f.properties.name), {
          permanent: !!LABELLED[kind], direction: "center",
          className: "linli-map-label linli-map-label-" + kind
        });
      }
    });
  }

  function popupFor(p, openLabel) {
    // Built from DOM nodes: titles are what people typed.
    var box = document.createElement("div");
    var title = document.createElement(p.url ? "a" : "strong");
    title.textContent = (p.id ? "#" + p.id + " " : "") + (p.title || "");
    if (p.url) { title.href = p.url; title.title = openLabel; }
    box.appendChild(title);
    if (p.state) {
      var state = document.createElement("div");
      state.textContent = p.state;
      box.appendChild(state);
    }
    return box;
  }

  function caseIcon(light, extra) {
    return L.divIcon({ className: "linli-case-marker light-" + (light || "none") + (extra || ""),
                       iconSize: [18, 18], iconAnchor: [9, 9] });
  }

  function clusterIcon(cluster) {
    var worst = "";
    cluster.getAllChildMarkers().forEach(function (m) {
      if (LIGHT_RANK[m.options.light || ""] > LIGHT_RANK[worst]) worst = m.options.light;
    });
    return L.divIcon({ html: "<span>" + cluster.getChildCount() + "</span>",
                       className: "linli-case-cluster light-" + (worst || "none"),
                       iconSize: [36, 36] });
  }

  function caseLayer(collection, el, cluster) {
    var group = cluster && L.markerClusterGroup
      ? L.markerClusterGroup({ iconCreateFunction: clusterIcon, maxClusterRadius: 40 })
      : L.featureGroup();
    var openLabel = el.getAttribute("data-label-open") || "";
    L.geoJSON(collection, {
      pointToLayer: function (f, latlng) {
        var light = f.properties.light || "";
        return L.marker(latlng, { icon: caseIcon(light), light: light,
                                  title: f.properties.title || "" });
      },
      onEachFeature: function (f, layer) { layer.bindPopup(popupFor(f.properties, openLabel)); }
    }).eachLayer(function (layer) { group.addLayer(layer); });
    return group;
  }

  function visitLayer(collection) {
    // Care-plan visits due: a count at a building, never a name.
    return L.geoJSON(collection, {
      pointToLayer: function (f, latlng) {
        return L.marker(latlng, { icon: caseIcon("", " linli-visit-marker"),
                                  title: f.properties.title || "" });
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(textNode(f.properties.title), { permanent: true,
                                                          direction: "top" });
      }
    });
  }

  function fit(map, layers) {
    var bounds = L.latLngBounds([]);
    layers.forEach(function (layer) {
      if (layer && layer.getBounds && layer.getLayers().length) bounds.extend(layer.getBounds());
    });
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 18, animate: false });
    else map.setView(FALLBACK_CENTRE, 14);
  }

  function picker(el, map) {
    var lat = document.getElementById(el.getAttribute("data-pick-lat") || "");
    var lng = document.getElementById(el.getAttribute("data-pick-lng") || "");
    if (!lat || !lng) return;
    var clear = document.getElementById(el.getAttribute("data-pick-clear") || "");
    var pin = null;
    function setPin(latlng, announce) {
      if (pin) pin.setLatLng(latlng);
      else pin = L.marker(latlng, { icon: caseIcon("", " linli-pin") }).addTo(map);
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      if (clear) clear.hidden = false;
      if (announce) document.body.dispatchEvent(new Event("pinChanged"));
    }
    if (lat.value && lng.value) setPin(L.latLng(+lat.value, +lng.value), false);
    // A click on an area's shape bubbles to the map: the shape is where the problem is.
    map.on("click", function (e) { setPin(e.latlng, true); });
    if (clear) clear.addEventListener("click", function () {
      if (pin) { map.removeLayer(pin); pin = null; }
      lat.value = ""; lng.value = ""; clear.hidden = true;
      document.body.dispatchEvent(new Event("pinChanged"));
    });
  }

  function preview(el, map, fixed) {
    var input = document.getElementById(el.getAttribute("data-preview") || "");
    if (!input) return;
    var layer = null;
    function write() {
      input.value = JSON.stringify(layer.toGeoJSON());
    }
    function draw(refit) {
      if (layer) { map.removeLayer(layer); layer = null; }
      var data;
      try { data = JSON.parse(input.value); } catch (e) { return; }
      try {
        layer = L.geoJSON(data, { style: { color: "#d84315", weight: 3, fillOpacity: 0.2 },
                                  pmIgnore: false }).addTo(map);
        // Drawn shapes can be reshaped on the map; the text follows every change.
        layer.eachLayer(function (part) { part.on("pm:edit", write); });
        if (refit) fit(map, [layer]);
      } catch (e) { layer = null; }
    }
    input.addEventListener("input", function () { draw(true); });
    if (input.value.trim()) draw(true); else fit(map, fixed);
    if (map.pm) drawing(map, input, draw);
  }

  function drawing(map, input, draw) {
    // Leaflet-Geoman (vendored), on the shape page only: draw a polygon or a rectangle, or
    // edit the one shown; the area shapes around it stay as they are.
    map.pm.setLang(document.documentElement.lang.indexOf("zh") === 0 ? "zh" : "en");
    map.pm.addControls({ position: "topleft", drawMarker: false, drawCircleMarker: false,
                         drawPolyline: false, drawCircle: false, drawText: false,
                         cutPolygon: false, rotateMode: false, dragMode: false,
                         removalMode: false });
    map.on("pm:create", function (e) {
      input.value = JSON.stringify(e.layer.toGeoJSON());
      map.removeLayer(e.layer);
      draw(false);
    });
  }

  function build(el) {
    el.setAttribute("data-map-ready", "1");
    // maxZoom on the map itself: with no tile layer, clustering has nothing else to go by.
    // zoomSnap in quarters: a community fills the box instead of half of it.
    var map = L.map(el, { attributionControl: false, maxZoom: 19, zoomSnap: 0.25 });
    el.linliMap = map;
    var tiles = el.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    else el.classList.add("linli-map-plain");
    map.setView(FALLBACK_CENTRE, 14);
    load(el, "areas", function (areas) {
      var shapes = areas ? areaLayer(areas).addTo(map) : null;
      load(el, "cases", function (cases) {
        var marks = cases ? caseLayer(cases, el, el.getAttribute("data-cluster") === "1")
          .addTo(map) : null;
        var visits = jsonFrom(el.getAttribute("data-visits"));
        var visitMarks = visits ? visitLayer(visits).addTo(map) : null;
        var layers = [shapes, marks, visitMarks];
        if (el.getAttribute("data-preview")) preview(el, map, layers);
        else fit(map, layers);
        picker(el, map);
        el.setAttribute("data-map-drawn", "1");
      });
    });
  }

  function whenVisible(el) {
    // Leaflet measures its box: a map in a closed <details> is drawn when it opens.
    var box = el.closest("details");
    if (box && !box.open) {
      if (el.hasAttribute("data-map-waiting")) return;
      el.setAttribute("data-map-waiting", "1");
      box.addEventListener("toggle", function () {
        if (!box.open) return;
        if (!el.linliMap) build(el); else el.linliMap.invalidateSize();
      });
      return;
    }
    build(el);
  }

  function initAll(root) {
    if (typeof L === "undefined") return;
    (root || document).querySelectorAll(".linli-map:not([data-map-ready])").forEach(whenVisible);
  }

  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:load", function (e) { initAll(e.target.parentNode || document); });
  window.linliMaps = { init: initAll };
})();
