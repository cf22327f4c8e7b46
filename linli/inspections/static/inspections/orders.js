// The re-check form: the phone's position into the hidden lat/lng fields, when the phone
// gives one (the server checks it is within 50 m of the target). Without a position the
// form still works: the sign-off is recorded without it.
(function () {
  "use strict";
  var details = document.getElementById("details-sign_off");
  var lat = document.getElementById("recheck-lat");
  var lng = document.getElementById("recheck-lng");
  var status = document.getElementById("recheck-position");
  if (!details || !lat || !lng || !navigator.geolocation) {
    return;
  }
  var asked = false;
  function ask() {
    if (asked || lat.value) {
      return;
    }
    asked = true;
    if (status) {
      status.textContent = status.dataset.waiting;
    }
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lng.value = position.coords.longitude.toFixed(6);
      if (status) {
        status.textContent = status.dataset.found;
      }
    }, function () {
      if (status) {
        status.textContent = status.dataset.none;
      }
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  }
  details.addEventListener("toggle", function () {
    if (details.open) {
      ask();
    }
  });
  if (details.open) {
    ask();
  }
})();
