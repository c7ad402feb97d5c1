import { createCanvas } from '@napi-rs/canvas';
import type * as ChartJs from 'chart.js' with { 'resolution-mode': 'import' };
import type { ChartPanel, ChartSpec } from '../app/stats/chart-spec';

// chart.js is an ES module with a CommonJS build; this module is CommonJS, so it takes that build.
/* eslint-disable @typescript-eslint/no-require-imports -- typed by the import above */
const { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Title } =
  require('chart.js') as typeof ChartJs;
/* eslint-enable @typescript-eslint/no-require-imports */
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Title);

// Colour-blind-safe (Okabe-Ito); the legend names every series, so colour is never the only signal.
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7'];
const FOOTNOTE_HEIGHT = 24;

/** Draws one panel into a region of the shared canvas, through a canvas of its own. */
function panel(p: ChartPanel, width: number, height: number) {
  const canvas = createCanvas(width, height);
  const chart = new Chart(canvas.getContext('2d') as unknown as ChartJs.ChartItem, {
    type: 'bar',
    data: {
      labels: [...p.labels],
      datasets: p.datasets.map((d, i) => ({
        label: d.label,
        data: [...d.data],
        backgroundColor: COLOURS[i % COLOURS.length],
      })),
    },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      plugins: { title: { display: true, text: p.title, font: { size: 15 } }, legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  return { canvas, chart };
}

/**
 * The report's chart as PNG: one panel per spec panel, stacked, and the suppression note beneath.
 * Rendered in-process with Chart.js on a Skia canvas (prebuilt per platform, no network at install).
 */
export async function renderStatsChart(spec: ChartSpec): Promise<Buffer> {
  const canvas = createCanvas(spec.width, spec.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, spec.width, spec.height);
  const each = Math.floor((spec.height - FOOTNOTE_HEIGHT) / spec.panels.length);
  spec.panels.forEach((p, i) => {
    const drawn = panel(p, spec.width, each);
    ctx.drawImage(drawn.canvas, 0, i * each);
    // Destroying a chart clears its canvas, so only once it has been copied.
    drawn.chart.destroy();
  });
  ctx.fillStyle = '#333333';
  ctx.font = '12px sans-serif';
  ctx.fillText(spec.footnote, 8, spec.height - 8);
  return canvas.toBuffer('image/png');
}
