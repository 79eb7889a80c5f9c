// Portal behaviour (CSP: no inline scripts). Everything works without it; it only folds
// the navigation and the search filters away on phones.
(function () {
  document.documentElement.classList.add("js");
  function toggler(button) {
    var target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      target.classList.toggle("open", open);
    });
  }
  document.querySelectorAll("button.menu-toggle, button.facets-toggle").forEach(toggler);
})();
