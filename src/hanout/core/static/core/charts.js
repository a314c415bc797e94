// Charts without inline scripts (CSP: script-src 'self').
//
// A page describes a chart as JSON and points a canvas at it:
//
//   {{ chart|json_script:"spend-chart" }}
//   <canvas data-chart="spend-chart" role="img" aria-label="…"></canvas>
//
// JSON: {"type": "pie"|"doughnut"|"bar"|"line", "labels": [...],
//        "datasets": [{"label": "...", "data": ["12.50", null, ...]}],
//        "currency": "EUR" (values are money), "percent": true (values are %),
//        "max": 100 (value axis), "title": "..."}
// Numbers may be strings (Decimals from the server). Labels and numbers are
// written in the page's language; in right-to-left pages the legend, tooltips
// and a bar chart's category axis run right to left. Charts inside htmx swaps
// are drawn after the swap; `HanoutCharts.drawAll(element)` redraws by hand.
(function () {
  "use strict";

  const PALETTE = [
    "#0d6efd", "#fd7e14", "#20c997", "#d63384", "#6f42c1",
    "#ffc107", "#198754", "#0dcaf0", "#dc3545", "#6c757d",
  ];

  function pageLanguage() {
    return document.documentElement.lang || navigator.language || "en";
  }

  function isRtl() {
    return document.documentElement.dir === "rtl";
  }

  function formatter(spec) {
    const lang = pageLanguage();
    try {
      if (spec.currency) {
        return new Intl.NumberFormat(lang, { style: "currency", currency: spec.currency });
      }
      return new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    } catch (e) {
      return new Intl.NumberFormat("en");
    }
  }

  function toNumber(value) {
    if (value === null || value === undefined || value === "") return null;
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }

  function readSpec(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return null;
    try {
      return JSON.parse(source.textContent);
    } catch (e) {
      console.warn("chart data is not JSON:", canvas.dataset.chart);
      return null;
    }
  }

  function build(spec) {
    const round = spec.type === "pie" || spec.type === "doughnut";
    const line = spec.type === "line";
    const rtl = isRtl();
    const format = formatter(spec);
    const show = (n) => (n === null ? "—" : format.format(n) + (spec.percent ? " %" : ""));
    const datasets = (spec.datasets || []).map((set, i) => {
      const color = round ? spec.labels.map((_, j) => PALETTE[j % PALETTE.length]) : PALETTE[i % PALETTE.length];
      return Object.assign({}, set, {
        data: (set.data || []).map(toNumber),
        backgroundColor: set.backgroundColor || color,
        borderColor: round ? "#fff" : set.borderColor || color,
        borderWidth: round ? 1 : set.borderWidth || (line ? 2 : 0),
      }, line ? { pointRadius: set.pointRadius ?? 2, cubicInterpolationMode: "monotone" } : {});
    });
    const reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    const options = {
      responsive: true,
      maintainAspectRatio: false,
      locale: pageLanguage(),
      animation: reduced ? false : undefined,
      plugins: {
        legend: { position: round ? "bottom" : "top", rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
        title: { display: Boolean(spec.title), text: spec.title || "" },
        tooltip: {
          rtl: rtl,
          textDirection: rtl ? "rtl" : "ltr",
          callbacks: {
            label(context) {
              const value = toNumber(context.raw);
              if (round) {
                const total = context.dataset.data.reduce((a, b) => a + (b || 0), 0);
                const share = total ? Math.round((value / total) * 1000) / 10 : 0;
                return context.label + ": " + show(value) + " (" + formatter({}).format(share) + " %)";
              }
              return (context.dataset.label || context.label) + ": " + show(value);
            },
          },
        },
      },
    };
    if (!round) {
      options.scales = {
        x: { reverse: rtl, ticks: { autoSkip: true } },
        y: { beginAtZero: true, ticks: { callback: (v) => show(v) } },
      };
      if (spec.max !== undefined) options.scales.y.max = spec.max;
      if (rtl) options.scales.y.position = "right";
    }
    return { type: spec.type || "bar", data: { labels: spec.labels || [], datasets: datasets }, options: options };
  }

  function draw(canvas) {
    if (typeof window.Chart === "undefined") return;
    const spec = readSpec(canvas);
    if (!spec) return;
    const existing = window.Chart.getChart(canvas);
    if (existing) existing.destroy();
    const family = getComputedStyle(document.body).fontFamily;
    if (family) window.Chart.defaults.font.family = family;
    new window.Chart(canvas, build(spec));
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  window.HanoutCharts = { drawAll: drawAll, build: build };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => drawAll(document));
  } else {
    drawAll(document);
  }
  document.addEventListener("htmx:afterSettle", (event) => drawAll(event.target));
})();
