// The target form's "use my position" button: fills the latitude and longitude from the
// phone's position (a grid worker adds premises standing in front of them). Without a
// position (refused, no GPS), the fields stay as they are and can be typed.
(function () {
  "use strict";
  var button = document.getElementById("use-position");
  if (!button || !navigator.geolocation) {
    if (button) { button.hidden = true; }
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var status = document.getElementById("position-status");
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(function (where) {
      document.getElementById("id_lat").value = where.coords.latitude.toFixed(6);
      document.getElementById("id_lng").value = where.coords.longitude.toFixed(6);
      status.textContent = "";
    }, function () {
      status.textContent = button.dataset.failed;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
