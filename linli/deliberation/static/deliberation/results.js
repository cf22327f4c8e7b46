// Receipt codes are read aloud and typed on phones: show them in capitals as typed.
document.querySelectorAll("#receipt-code").forEach(function (input) {
  input.addEventListener("input", function () {
    var at = input.selectionStart;
    input.value = input.value.toUpperCase();
    input.setSelectionRange(at, at);
  });
});
