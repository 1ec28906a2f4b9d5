// Loading and saving workflows: ComfyUI's UI JSON (schema 0.4 or 1), the API format, and PNGs
// the server saved (their `workflow`, else `prompt`, text chunk).
import { LiteGraph } from '@comfyorg/litegraph';
import { pngTextChunks } from './pngText.js';

/** What kind of workflow a parsed JSON document is: 'ui', 'api', or throws saying why neither. */
export function workflowKind(json, source) {
  if (json && Array.isArray(json.nodes)) return 'ui';
  const entries = json && typeof json === 'object' ? Object.values(json) : [];
  if (entries.length > 0 && entries.every((entry) => entry && typeof entry.class_type === 'string')) return 'api';
  throw new Error(`${source}: expected a UI workflow (with "nodes") or an API prompt (entries with "class_type")`);
}

/** Replaces the graph's content with an API prompt, laid out in columns by link depth. */
export function loadApiPrompt(graph, prompt) {
  graph.clear();
  const ids = Object.keys(prompt);
  const depth = new Map();
  const depthOf = (id, seen = new Set()) => {
    if (depth.has(id)) return depth.get(id);
    if (seen.has(id)) return 0;
    seen.add(id);
    const upstream = Object.values(prompt[id]?.inputs ?? {})
      .filter((value) => Array.isArray(value) && value.length === 2 && value[0] in prompt)
      .map((value) => depthOf(String(value[0]), seen) + 1);
    const d = Math.max(0, ...upstream);
    depth.set(id, d);
    return d;
  };
  const nodes = new Map();
  const rows = new Map();
  for (const id of ids) {
    const entry = prompt[id];
    const node = LiteGraph.createNode(entry.class_type, entry._meta?.title);
    if (!node) throw new Error(`node ${id}: class_type '${entry.class_type}' is not offered by this server`);
    const column = depthOf(id);
    const row = rows.get(column) ?? 0;
    node.pos = [40 + column * 320, 40 + row];
    rows.set(column, row + node.size[1] + 60);
    graph.add(node);
    const numeric = Number(id);
    if (Number.isInteger(numeric) && !graph.getNodeById(numeric)) node.id = numeric;
    for (const widget of node.widgets ?? []) {
      const value = entry.inputs?.[widget.name];
      if (value !== undefined && !Array.isArray(value)) {
        widget.value = value?.__value__ ?? value;
      }
    }
    nodes.set(id, node);
  }
  for (const [id, entry] of Object.entries(prompt)) {
    const target = nodes.get(id);
    for (const [name, value] of Object.entries(entry.inputs ?? {})) {
      if (!Array.isArray(value) || value.length !== 2 || !nodes.has(String(value[0]))) continue;
      const slot = target.findInputSlot(name);
      if (slot >= 0) nodes.get(String(value[0])).connect(value[1], target, slot);
    }
  }
  graph.setDirtyCanvas(true, true);
}

/** Loads a parsed workflow of either kind into the graph. */
export function loadWorkflowJson(graph, json, source) {
  if (workflowKind(json, source) === 'ui') {
    graph.configure(json);
    graph.setDirtyCanvas(true, true);
  } else {
    loadApiPrompt(graph, json);
  }
}

/** Loads a dropped or picked file: .json (either kind) or a PNG with our text chunks. */
export async function loadWorkflowFile(graph, file) {
  if (file.type === 'image/png' || file.name.toLowerCase().endsWith('.png')) {
    const chunks = pngTextChunks(await file.arrayBuffer());
    const text = chunks.workflow ?? chunks.prompt;
    if (!text) throw new Error(`${file.name}: this PNG carries no "workflow" or "prompt" text chunk`);
    loadWorkflowJson(graph, JSON.parse(text), file.name);
    return;
  }
  let json;
  try {
    json = JSON.parse(await file.text());
  } catch (error) {
    throw new Error(`${file.name}: not valid JSON (${error.message})`);
  }
  loadWorkflowJson(graph, json, file.name);
}

/** Offers a JSON document as a download. */
export function downloadJson(name, json) {
  const blob = new Blob([JSON.stringify(json, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
