// Accord's own behaviour, loaded as a file: the Content-Security-Policy allows no inline script.
"use strict";

// A <select data-submit-on-change> (the language switcher) submits its form when it changes.
document.addEventListener("change", function (event) {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit-on-change")) {
    target.form.submit();
  }
});
