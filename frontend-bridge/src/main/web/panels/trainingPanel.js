// Live loss / learning-rate chart of a running TrainLoRA, fed by its `bakehouse.train` WebSocket
// events ({status, step, max_steps, epoch, loss, avr_loss, lr: {group: value}, prompt_id, node}).
import { definePanel, el } from './panels.js';

const COLOURS = { loss: '#6aa5ff', avr_loss: '#ffd166', lr: '#7bd88f' };

/** Keeps one run's points; a new prompt or node starts a new run. */
export class TrainingSeries {
  constructor() {
    this.reset(null);
  }

  reset(key) {
    this.key = key;
    this.points = [];
    this.status = null;
    this.maxSteps = 0;
  }

  add(data) {
    const key = `${data.prompt_id}/${data.node}`;
    if (key !== this.key) this.reset(key);
    this.status = data.status;
    if (data.status !== 'training') {
      this.message = data.message;
      return;
    }
    this.maxSteps = data.max_steps;
    const lr = Object.values(data.lr ?? {})[0];
    this.points.push({ step: data.step, epoch: data.epoch, loss: data.loss, avr_loss: data.avr_loss, lr });
  }
}

function drawChart(canvas, series) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#1b1b1b';
  ctx.fillRect(0, 0, width, height);
  const points = series.points;
  if (points.length === 0) return;
  const pad = { left: 44, right: 52, top: 10, bottom: 22 };
  const maxStep = Math.max(series.maxSteps, points.at(-1).step, 1);
  const losses = points.flatMap((p) => [p.loss, p.avr_loss]).filter(Number.isFinite);
  const lossMax = Math.max(...losses, 1e-6);
  const lrMax = Math.max(...points.map((p) => p.lr ?? 0), 1e-12);
  const x = (step) => pad.left + (step / maxStep) * (width - pad.left - pad.right);
  const y = (value, max) => height - pad.bottom - (value / max) * (height - pad.top - pad.bottom);
  ctx.strokeStyle = '#555';
  ctx.strokeRect(pad.left, pad.top, width - pad.left - pad.right, height - pad.top - pad.bottom);
  ctx.fillStyle = '#aaa';
  ctx.font = '10px sans-serif';
  ctx.fillText(lossMax.toPrecision(3), 2, pad.top + 8);
  ctx.fillText('0', 2, height - pad.bottom);
  ctx.fillText(lrMax.toExponential(1), width - pad.right + 4, pad.top + 8);
  ctx.fillText(`step ${points.at(-1).step}/${maxStep}`, pad.left, height - 6);
  const line = (key, max) => {
    ctx.strokeStyle = COLOURS[key];
    ctx.beginPath();
    points.forEach((p, i) => (i === 0 ? ctx.moveTo(x(p.step), y(p[key] ?? 0, max)) : ctx.lineTo(x(p.step), y(p[key] ?? 0, max))));
    ctx.stroke();
    // Dots too: a short run's few points would otherwise be a line hidden under another.
    ctx.fillStyle = COLOURS[key];
    for (const p of points) ctx.fillRect(x(p.step) - 1.5, y(p[key] ?? 0, max) - 1.5, 3, 3);
  };
  line('loss', lossMax);
  line('avr_loss', lossMax);
  line('lr', lrMax);
}

definePanel({
  id: 'training',
  title: 'Training',
  order: 30,
  create({ api }) {
    const root = el('div', 'training-panel');
    const summary = el('div', 'training-summary', 'No training running.');
    const canvas = el('canvas', 'training-chart');
    canvas.width = 300;
    canvas.height = 180;
    const legend = el('div', 'training-legend');
    for (const [key, colour] of Object.entries(COLOURS)) {
      const item = el('span', null, key);
      item.style.color = colour;
      legend.append(item);
    }
    root.append(summary, canvas, legend);
    const series = new TrainingSeries();
    api.on('bakehouse.train', (data) => {
      series.add(data);
      const last = series.points.at(-1);
      summary.textContent = series.status === 'training' && last
        ? `TrainLoRA #${data.node}: step ${last.step}/${series.maxSteps}, epoch ${last.epoch}, loss ${last.loss.toFixed(4)} (avg ${last.avr_loss.toFixed(4)}), lr ${last.lr?.toExponential(2)}`
        : `TrainLoRA #${data.node}: ${series.status}${series.message ? ' — ' + series.message : ''}`;
      drawChart(canvas, series);
      root.dataset.points = String(series.points.length); // what the browser test reads
      root.dataset.status = series.status;
    });
    return root;
  },
});
