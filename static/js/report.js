// The report's "Print or save as PDF" button. Without JavaScript the page tells people to use
// their browser's Print command instead, and the print style sheet does the rest.
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (!button || typeof window.print !== "function") return;
  var hint = document.querySelector("[data-print-hint]");
  button.hidden = false;
  if (hint) hint.hidden = true;
  button.addEventListener("click", function () {
    window.print();
  });
})();
