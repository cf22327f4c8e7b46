/* The on-site inspection form. Everything here is an enhancement: without it every field
   shows and the form still works.
   - A failed item's fields (what was found, photos, deadline, the five fixes) show only
     when 不合格 is picked (the `js` class lets the stylesheet hide the others).
   - The phone's position, when the person allows it, goes into the hidden lat/lng.
   - The send button disables itself while sending: a double tap sends once. The form's
     one-time token makes a send repeated anyway (a timeout, back and send) harmless. */
(function () {
  "use strict";

  var form = document.getElementById("inspect-form");
  if (!form) return;
  form.classList.add("js");

  function mark(item) {
    var picked = item.querySelector("input[type=radio]:checked");
    item.setAttribute("data-chosen", picked ? picked.value : "");
  }

  form.querySelectorAll(".check-item").forEach(function (item) {
    mark(item);
    item.addEventListener("change", function () { mark(item); });
  });

  function position() {
    var lat = document.getElementById("id_lat");
    var lng = document.getElementById("id_lng");
    var note = document.getElementById("position-note");
    if (!lat || !lng || !navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (where) {
      lat.value = where.coords.latitude.toFixed(6);
      lng.value = where.coords.longitude.toFixed(6);
      if (note) {
        note.textContent = note.getAttribute("data-got");
        note.hidden = false;
      }
    }, function () { /* refused or unavailable: the position is optional */ },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }
  position();

  var button = document.getElementById("inspect-submit");
  var label = button ? button.textContent : "";
  var retry = parseInt(form.getAttribute("data-retry-after"), 10) || 10000;
  var timer = null;

  function ready() {
    window.clearTimeout(timer);
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = label;
  }

  form.addEventListener("submit", function () {
    if (!button) return;
    // After this event, so the click still sends the form.
    window.setTimeout(function () {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      button.textContent = form.getAttribute("data-sending");
    }, 0);
    // No answer after a while (a send that timed out, the page still here): the person
    // may send again; the form's token replays the first send if it did arrive.
    timer = window.setTimeout(ready, retry);
  });
  // Back to a page kept in memory: the button works again.
  window.addEventListener("pageshow", function () {
    if (button) ready();
  });
})();
