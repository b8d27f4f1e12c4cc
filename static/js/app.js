// Small enhancements only: every page works without this file.
(function () {
  "use strict";
  // Move focus to an error summary so screen-reader and keyboard users hear the problem first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // Close an open switcher when another one opens.
  var switchers = document.querySelectorAll("details.switcher");
  switchers.forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (!details.open) return;
      switchers.forEach(function (other) {
        if (other !== details) other.open = false;
      });
    });
  });
})();
