// Case list: "保存当前筛选" saves what the filter form shows now, which htmx may have
// changed since the page was rendered.
(function () {
  "use strict";

  function currentQuery(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim() !== "") { params.append(name, value); }
    });
    return params.toString();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var filters = document.getElementById("case-filters");
    var save = document.getElementById("save-view");
    if (!filters || !save) { return; }
    save.addEventListener("submit", function () {
      save.querySelector("input[name=query]").value = currentQuery(filters);
    });
  });
})();
