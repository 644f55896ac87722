// ECharts tooltips built as elements. ECharts sets a string formatter's result, and its
// default tooltip, as HTML, and both hold names from the data (series, districts,
// units, periods): built here as text nodes, a name never becomes markup.
(function () {
  "use strict";

  var make = window.Dom.make;

  function plain(value) {
    if (value == null || value === "") { return "—"; }
    return Array.isArray(value) ? plain(value[value.length - 1]) : String(value);
  }

  // A formatter for trigger "axis": a title line (the axis value, or options.title(first
  // item)) and one row per series with its colour, name and value (options.value(item)).
  function axisTooltip(options) {
    options = options || {};
    return function (items) {
      items = [].concat(items || []);
      if (!items.length) { return ""; }
      var box = make("div", "chart-tip");
      var first = items[0];
      box.appendChild(make("div", "chart-tip-title",
        options.title ? options.title(first) : (first.axisValueLabel != null ? first.axisValueLabel : first.name)));
      items.forEach(function (item) {
        var row = make("div", "chart-tip-row");
        var dot = make("span", "chart-tip-dot");
        if (typeof item.color === "string") { dot.style.backgroundColor = item.color; }
        row.appendChild(dot);
        row.appendChild(make("span", "chart-tip-name", item.seriesName));
        row.appendChild(make("span", "chart-tip-value",
          options.value ? options.value(item) : plain(item.value)));
        box.appendChild(row);
      });
      return box;
    };
  }

  window.ChartTips = { axis: axisTooltip, plain: plain };
})();
