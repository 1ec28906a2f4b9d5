// Entry of the ComfyUI frontend extension bundle (build.mjs: bakehouse-panels.js). Only the
// Bakehouse panels are imported; the editor's own palette and queue panels are the frontend's job.
import panelCss from '../panels/panels.css';
import floatingCss from './extension.css';
import '../panels/trainingPanel.js';
import '../panels/gridPanel.js';
import '../panels/datasetPanel.js';
import { registerBakehouseExtension } from './comfyExtension.js';

const comfy = globalThis.comfyAPI;
if (!comfy?.app?.app || !comfy?.api?.api) {
  console.error('Bakehouse panels: window.comfyAPI.app/api missing; this script is a ComfyUI frontend extension');
} else {
  const style = document.createElement('style');
  style.textContent = panelCss + floatingCss;
  document.head.append(style);
  registerBakehouseExtension(comfy.app.app, comfy.api.api);
}
