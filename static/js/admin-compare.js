/* "Show only what changed" on the version comparison page. */
(function () {
  "use strict";
  const box = document.getElementById("only-changes");
  const page = document.querySelector(".cms-compare");
  if (!box || !page) return;
  const apply = () => page.classList.toggle("only-changes", box.checked);
  box.addEventListener("change", apply);
  apply();
})();
