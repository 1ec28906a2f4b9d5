// Live execution state from the WebSocket (spec §5.5): which node runs, its step progress, the
// overall share of the prompt done, outputs and errors, mirrored onto the graph's nodes.

export class ExecutionTracker extends EventTarget {
  constructor(api, graph) {
    super();
    this.api = api;
    this.graph = graph;
    this.nodeCounts = new Map(); // prompt_id → number of nodes it will run (our own prompts only)
    this.reset(null);
    api.on('execution_start', (data) => this.reset(data.prompt_id));
    api.on('execution_cached', (data) => {
      this.done += data.nodes?.length ?? 0;
      this.changed();
    });
    api.on('executing', (data) => this.executing(data.node));
    api.on('progress', (data) => {
      const node = this.nodeOf(data.node ?? this.runningNode);
      this.nodeProgress = data.max > 0 ? data.value / data.max : 0;
      if (node) {
        node.progress = this.nodeProgress;
        node.setDirtyCanvas(true, false);
      }
      this.changed();
    });
    // Live sampler previews (when the server or prompt enables them) on the node they belong to.
    api.on('binary:preview', (frame) => {
      const node = this.nodeOf(frame.nodeId ?? this.runningNode);
      if (!node?.showImages) return;
      if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
      this.previewUrl = URL.createObjectURL(new Blob([frame.bytes], { type: frame.mime }));
      node.showImages([this.previewUrl]);
    });
    api.on('executed', (data) => {
      const images = data.output?.images ?? [];
      const node = this.nodeOf(data.display_node ?? data.node);
      if (node?.showImages && images.length > 0) node.showImages(images.map((file) => api.viewUrl(file)));
      this.dispatchEvent(new CustomEvent('executed', { detail: data }));
    });
    api.on('execution_error', (data) => {
      const node = this.nodeOf(data.node_id);
      node?.showErrors?.([{ input: null, message: `${data.exception_type}: ${data.exception_message}` }]);
      this.finish('error', `${data.node_type ?? 'node'} #${data.node_id}: ${data.exception_message}`);
    });
    api.on('execution_interrupted', () => this.finish('interrupted', 'Interrupted'));
    api.on('execution_success', () => this.finish('success', null));
  }

  /** Remembers how many nodes a queued prompt runs, for the overall progress. */
  expect(promptId, nodeCount) {
    this.nodeCounts.set(promptId, nodeCount);
  }

  reset(promptId) {
    this.promptId = promptId;
    this.done = 0;
    this.runningNode = null;
    this.nodeProgress = 0;
    this.state = promptId ? 'running' : 'idle';
    this.message = null;
    for (const node of this.graph.nodes ?? []) {
      node.progress = undefined;
      node.isRunning = false;
    }
    this.changed();
  }

  executing(nodeId) {
    const previous = this.nodeOf(this.runningNode);
    if (previous) {
      previous.isRunning = false;
      previous.progress = undefined;
      this.done += 1;
    }
    this.runningNode = nodeId;
    this.nodeProgress = 0;
    const node = this.nodeOf(nodeId);
    if (node) node.isRunning = true;
    this.graph.setDirtyCanvas(true, true);
    this.changed();
  }

  finish(state, message) {
    const node = this.nodeOf(this.runningNode);
    if (node) {
      node.isRunning = false;
      node.progress = undefined;
    }
    this.runningNode = null;
    this.state = state;
    this.message = message;
    this.graph.setDirtyCanvas(true, true);
    this.changed();
  }

  /** Overall share done, 0..1, or null when the prompt's size is unknown. */
  overall() {
    const total = this.nodeCounts.get(this.promptId);
    if (!total) return null;
    if (this.state === 'success') return 1;
    return Math.min(1, (this.done + (this.runningNode ? this.nodeProgress : 0)) / total);
  }

  nodeOf(id) {
    if (id == null) return null;
    return this.graph.getNodeById(Number(id)) ?? this.graph.getNodeById(id) ?? null;
  }

  changed() {
    this.dispatchEvent(new Event('change'));
  }
}
