// The editor: one graph on one canvas, the server's node types, the toolbar's actions (queue,
// interrupt, load, save) and the side panels. Panels talk to it through this class only.
import { LGraph, LGraphCanvas, LiteGraph } from '@comfyorg/litegraph';
import { ApiError } from './api.js';
import { ExecutionTracker } from './execution.js';
import { nextControlledValue } from './inputSpecs.js';
import { registerNodeTypes } from './nodeTypes.js';
import { downloadJson, loadWorkflowFile, loadWorkflowJson } from './workflowFiles.js';
import { workflowToPrompt } from './workflowToPrompt.js';

const AUTOSAVE_KEY = 'bakehouse.workflow';

export class Editor extends EventTarget {
  constructor(api, canvasElement) {
    super();
    this.api = api;
    this.objectInfo = {};
    this.defs = [];
    this.graph = new LGraph();
    this.canvas = new LGraphCanvas(canvasElement, this.graph);
    this.canvas.show_info = false; // litegraph's frame-timing overlay
    this.canvasElement = canvasElement;
    this.tracker = new ExecutionTracker(api, this.graph);
    this.errorListeners = [];
  }

  /** Loads the node definitions and the last session's workflow. */
  async start() {
    this.objectInfo = await this.api.objectInfo();
    this.defs = registerNodeTypes(this.objectInfo);
    this.dispatchEvent(new Event('definitions'));
    const saved = localStorage.getItem(AUTOSAVE_KEY);
    if (saved) {
      try {
        loadWorkflowJson(this.graph, JSON.parse(saved), 'the last session');
      } catch (error) {
        this.showError(`Could not restore the last workflow: ${error.message}`);
      }
    }
    setInterval(() => this.autosave(), 2000);
    window.addEventListener('beforeunload', () => this.autosave());
  }

  autosave() {
    localStorage.setItem(AUTOSAVE_KEY, JSON.stringify(this.graph.serialize()));
  }

  /** Adds a node of a server type at a graph position (default: the view's centre). */
  addNode(type, position) {
    const node = LiteGraph.createNode(type);
    if (!node) throw new Error(`unknown node type ${type}`);
    const rect = this.canvasElement.getBoundingClientRect();
    const [x, y] = position ?? this.canvas.ds.convertCanvasToOffset([rect.width / 2, rect.height / 3]);
    // Successive clicks would stack nodes on one spot: nudge each past the last one added.
    const offset = (this.graph.nodes.length % 8) * 24;
    node.pos = position ? [x, y] : [x - node.size[0] / 2 + offset, y + offset];
    this.graph.add(node);
    this.canvas.selectNode(node);
    this.graph.setDirtyCanvas(true, true);
    return node;
  }

  /** Converts the graph and posts it; validation errors land on their nodes and inputs. */
  async queuePrompt() {
    this.clearErrors();
    const workflow = this.graph.serialize();
    const prompt = workflowToPrompt(workflow, this.objectInfo);
    if (Object.keys(prompt).length === 0) {
      this.showError('The graph is empty: add nodes from the palette first.');
      return null;
    }
    try {
      const response = await this.api.queuePrompt(prompt, workflow);
      this.tracker.expect(response.prompt_id, Object.keys(prompt).length);
      this.applyNodeErrors(response.node_errors ?? {});
      this.advanceControlledWidgets();
      return response.prompt_id;
    } catch (error) {
      if (error instanceof ApiError && error.body?.error) {
        this.applyNodeErrors(error.body.node_errors ?? {});
        const details = error.body.error.details ? ` — ${error.body.error.details}` : '';
        this.showError(`${error.body.error.message}${details}`);
        return null;
      }
      this.showError(`Queueing failed: ${error.message}`);
      return null;
    }
  }

  /** Marks the offending nodes and inputs of a /prompt `node_errors` object. */
  applyNodeErrors(nodeErrors) {
    for (const [id, info] of Object.entries(nodeErrors)) {
      const node = this.tracker.nodeOf(id);
      node?.showErrors?.((info.errors ?? []).map((error) => ({
        input: error.extra_info?.input_name ?? null,
        message: error.details ? `${error.message} (${error.details})` : error.message,
      })));
    }
    this.graph.setDirtyCanvas(true, true);
  }

  clearErrors() {
    for (const node of this.graph.nodes) node.showErrors?.([]);
    this.showError(null);
  }

  /** Applies each "control after generate" companion (fixed, increment, randomize…) once. */
  advanceControlledWidgets() {
    for (const node of this.graph.nodes) {
      for (const widget of node.widgets ?? []) {
        if (widget.controls) widget.controls.value = nextControlledValue(widget.value, widget.controls.value, widget.controls.options);
      }
    }
    this.graph.setDirtyCanvas(true, false);
  }

  interrupt() {
    return this.api.interrupt();
  }

  async loadFile(file) {
    try {
      await loadWorkflowFile(this.graph, file);
      this.clearErrors();
    } catch (error) {
      this.showError(error.message);
    }
  }

  loadJson(json, source) {
    try {
      loadWorkflowJson(this.graph, json, source);
      this.clearErrors();
    } catch (error) {
      this.showError(error.message);
    }
  }

  saveWorkflow() {
    downloadJson('workflow.json', this.graph.serialize());
  }

  saveApiPrompt() {
    downloadJson('workflow_api.json', workflowToPrompt(this.graph.serialize(), this.objectInfo));
  }

  clear() {
    this.graph.clear();
    this.clearErrors();
    this.graph.setDirtyCanvas(true, true);
  }

  /** Shows one message in the banner; null hides it. */
  showError(message) {
    this.dispatchEvent(new CustomEvent('message', { detail: message }));
  }
}
