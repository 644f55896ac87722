// Elements holding text, for every script that puts names into a page: a string given to
// Leaflet, ECharts or innerHTML becomes markup, and names are typed by people.
(function () {
  "use strict";

  // An element with a class and children: strings become text nodes, nulls are skipped.
  function make(tag, className) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    Array.prototype.slice.call(arguments, 2).forEach(function (child) {
      if (child == null) { return; }
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function link(href, text, className) {
    var node = make("a", className, text);
    node.href = href;
    return node;
  }

  window.Dom = { make: make, link: link };
})();
