// Entry point: builds the page around the canvas and starts the editor.
import '@comfyorg/litegraph/style.css';
import './editor.css';
import './panels/panels.css';
import { ServerApi } from './api.js';
import { Editor } from './editor.js';
import { mountPanels } from './panels/panels.js';
import './panels/palettePanel.js';
import './panels/queuePanel.js';
import './panels/trainingPanel.js';
import './panels/gridPanel.js';
import './panels/datasetPanel.js';
import './panels/gachamaxPanel.js';

const $ = (selector) => document.querySelector(selector);

async function main() {
  const api = new ServerApi();
  const canvasElement = $('#graph');
  const editor = new Editor(api, canvasElement);
  window.bakehouse = { api, editor }; // for the browser console and the browser tests

  fitCanvas(editor);
  new ResizeObserver(() => fitCanvas(editor)).observe(canvasElement.parentElement);
  wireToolbar(editor, api);
  wireDrops(editor);
  mountPanels($('#side'), { api, editor, graph: editor.graph, canvas: editor.canvas, tracker: editor.tracker });
  api.connect();
  try {
    await editor.start();
    document.body.dataset.ready = 'true';
  } catch (error) {
    editor.showError(`Could not load the node definitions: ${error.message}`);
  }
}

function fitCanvas(editor) {
  const box = editor.canvasElement.parentElement.getBoundingClientRect();
  editor.canvas.resize(Math.floor(box.width), Math.floor(box.height));
}

function wireToolbar(editor, api) {
  $('#queue-button').addEventListener('click', () => editor.queuePrompt());
  window.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.target.closest('.graphdialog')) {
      event.preventDefault();
      editor.queuePrompt();
    }
  });
  $('#interrupt-button').addEventListener('click', () => editor.interrupt());
  $('#save-button').addEventListener('click', () => editor.saveWorkflow());
  $('#save-api-button').addEventListener('click', () => editor.saveApiPrompt());
  $('#clear-button').addEventListener('click', () => editor.clear());
  const picker = $('#load-input');
  $('#load-button').addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    if (picker.files[0]) editor.loadFile(picker.files[0]);
    picker.value = '';
  });

  const banner = $('#message');
  editor.addEventListener('message', (event) => {
    banner.textContent = event.detail ?? '';
    banner.hidden = !event.detail;
  });
  banner.addEventListener('click', () => { banner.hidden = true; });

  api.on('status', (data) => {
    $('#queue-size').textContent = `Queue: ${data.status?.exec_info?.queue_remaining ?? 0}`;
  });
  api.on('connection', ({ connected }) => {
    $('#connection').textContent = connected ? 'connected' : 'reconnecting…';
    $('#connection').className = connected ? 'ok' : 'bad';
  });
  const bar = $('#overall-progress');
  const label = $('#run-state');
  editor.tracker.addEventListener('change', () => {
    const tracker = editor.tracker;
    const overall = tracker.overall();
    bar.value = overall ?? 0;
    bar.dataset.state = tracker.state;
    label.textContent = tracker.state === 'running'
      ? `running${tracker.runningNode ? ' #' + tracker.runningNode : ''}${overall != null ? ' · ' + Math.round(overall * 100) + '%' : ''}`
      : tracker.state === 'idle' ? '' : tracker.state;
    if (tracker.state === 'error' || tracker.state === 'interrupted') editor.showError(tracker.message);
  });
}

function wireDrops(editor) {
  const target = editor.canvasElement;
  target.addEventListener('dragover', (event) => event.preventDefault());
  target.addEventListener('drop', (event) => {
    event.preventDefault();
    const type = event.dataTransfer.getData('application/x-bakehouse-node');
    if (type) {
      editor.addNode(type, editor.canvas.convertEventToCanvasOffset(event));
    } else if (event.dataTransfer.files.length > 0) {
      editor.loadFile(event.dataTransfer.files[0]);
    }
  });
}

main();
