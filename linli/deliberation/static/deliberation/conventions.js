// The convention forms: a count of the characters left under each text box.
document.querySelectorAll(".conv-form textarea[maxlength], #convention-form textarea").forEach((box) => {
  const limit = Number(box.getAttribute("maxlength") || 20000);
  const counter = document.createElement("small");
  counter.className = "muted conv-count";
  const update = () => { counter.textContent = `${box.value.length} / ${limit}`; };
  box.insertAdjacentElement("afterend", counter);
  box.addEventListener("input", update);
  update();
});
