// Copy-link buttons (shown only where the clipboard API exists; CSP forbids inline scripts).
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button.copy-link").forEach(function (button) {
    var input = document.getElementById(button.dataset.target);
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        var label = button.textContent;
        button.textContent = button.dataset.done;
        setTimeout(function () { button.textContent = label; }, 1500);
      });
    });
  });
})();
