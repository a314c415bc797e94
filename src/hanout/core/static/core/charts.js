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
// written in the page's language the way the server writes them: base.html puts
// the `money` filter's format of the business in <script id="hanout-money">
// ({"currency", "locale", "template": "0,00 €", "decimal", "group"}), so an axis
// reads "2.500,00 €" where the cards do (the browser's Intl may write en-BE money
// "€2,500.00"); without it (no business) or for another currency, Intl with the
// page's language. In right-to-left pages the legend, tooltips
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

  let pageMoneyCache;
  function pageMoney() {
    if (pageMoneyCache === undefined) {
      pageMoneyCache = null;
      const source = document.getElementById("hanout-money");
      if (source) {
        try {
          pageMoneyCache = JSON.parse(source.textContent);
        } catch (e) {
          pageMoneyCache = null;
        }
      }
    }
    return pageMoneyCache;
  }

  const BIDI_MARKS = /[\u200e\u200f\u061c\u2066-\u2069]/g;
  const TEMPLATE_NUMBER = /0(?:[^0-9\s\u00a0\u202f]0+)?/;

  // Digits grouped by three with the server's symbols: Intl in a neutral locale
  // gives "2,500.00", then "," and "." become the page's group and decimal symbols.
  function digits(n, places, money) {
    const plain = new Intl.NumberFormat("en-US", {
      minimumFractionDigits: places,
      maximumFractionDigits: places,
    }).format(Math.abs(n));
    return plain.replace(/[,.]/g, (c) => (c === "," ? money.group : money.decimal));
  }

  // An object with format(n), as Intl.NumberFormat has.
  function formatter(spec) {
    const money = pageMoney();
    if (money && money.template && (!spec.currency || spec.currency === money.currency)) {
      if (spec.currency) {
        const match = money.template.match(TEMPLATE_NUMBER);
        if (match) {
          const places = match[0].length > 1 ? match[0].length - 2 : 0;
          const numberFirst = money.template.replace(BIDI_MARKS, "").indexOf("0") === 0;
          return {
            format(n) {
              const body = digits(n, places, money);
              if (n < 0 && isRtl()) {
                // As the `money` filter: the signed number isolated left-to-right ("-180,00").
                const bare = money.template.replace(BIDI_MARKS, "");
                return bare.replace(TEMPLATE_NUMBER, "\u2066-" + body + "\u2069");
              }
              if (n < 0 && !numberFirst) return "-" + money.template.replace(TEMPLATE_NUMBER, body);
              return money.template.replace(TEMPLATE_NUMBER, (n < 0 ? "-" : "") + body);
            },
          };
        }
      } else {
        return {
          format(n) {
            const rounded = Math.round(n * 10) / 10;
            return (rounded < 0 ? "-" : "") + digits(rounded, Number.isInteger(rounded) ? 0 : 1, money);
          },
        };
      }
    }
    const lang = (money && money.locale) || pageLanguage();
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

  window.HanoutCharts = { drawAll: drawAll, build: build, formatter: formatter };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => drawAll(document));
  } else {
    drawAll(document);
  }
  document.addEventListener("htmx:afterSettle", (event) => drawAll(event.target));
})();
