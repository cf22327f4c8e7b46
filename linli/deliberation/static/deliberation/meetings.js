// Calling a meeting: a body's meeting is held at the body's place and counts its members,
// so the place and "counted among" choices only matter for a residents' meeting.
(function () {
  "use strict";
  var body = document.getElementById("meeting-body");
  if (!body) { return; }
  var parts = ["meeting-area-label", "meeting-attendees-label"].map(function (id) {
    return document.getElementById(id);
  });
  function update() {
    parts.forEach(function (el) { if (el) { el.style.display = body.value ? "none" : ""; } });
  }
  body.addEventListener("change", update);
  update();
}());
