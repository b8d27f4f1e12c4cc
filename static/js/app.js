// Small enhancements only: every page works without this file.
(function () {
  "use strict";
  // Move focus to an error summary so screen-reader and keyboard users hear the problem first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // On a phone the business tabs scroll sideways: bring the current one into sight (not when
  // the page opens at an anchor or an error summary, which must stay where the reader is).
  var current = document.querySelector(".business-tabs .nav-link.active");
  if (current && !summary && !window.location.hash) {
    current.scrollIntoView({ block: "nearest", inline: "center" });
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
