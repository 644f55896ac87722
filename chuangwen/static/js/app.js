// Small behaviours shared by every page.
(function () {
  "use strict";

  // The Content-Security-Policy admits no inline style block and no eval: htmx must not
  // add its indicator styles (app.css has them), evaluate expressions or run scripts
  // that arrive in swapped content.
  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false;
    window.htmx.config.allowScriptTags = false;
  }

  // htmx posts from inside an element that carries the CSRF token (data-csrf-token).
  document.addEventListener("htmx:configRequest", function (event) {
    var holder = event.detail.elt && event.detail.elt.closest("[data-csrf-token]");
    if (holder) { event.detail.headers["X-CSRFToken"] = holder.dataset.csrfToken; }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.getElementById("mainnav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
