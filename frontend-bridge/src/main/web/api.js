// The editor's only link to the server: the ComfyUI-compatible HTTP routes and the WebSocket
// (spec: shared/spec/comfyui-api.md §2, §5). Everything else in the editor goes through here.

/** A failed HTTP call; `body` is the parsed JSON error body when the server sent one. */
export class ApiError extends Error {
  constructor(path, status, body) {
    super(`${path}: HTTP ${status}${body?.error?.message ? ` (${body.error.message})` : ''}`);
    this.status = status;
    this.body = body;
  }
}

/** The JSON body of a response (null when empty or not JSON); an ApiError when not 2xx. */
export async function readJson(path, response) {
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) throw new ApiError(path, response.status, body);
  return body;
}

/** The `/view` route of a UI output entry ({filename, subfolder, type}). */
export function viewPath(file) {
  const query = new URLSearchParams({ filename: file.filename, subfolder: file.subfolder ?? '', type: file.type ?? 'output' });
  return `/view?${query}`;
}

export class ServerApi extends EventTarget {
  constructor(base = '') {
    super();
    this.base = base;
    this.clientId = sessionStorage.getItem('bakehouse.clientId') ?? crypto.randomUUID().replaceAll('-', '');
    sessionStorage.setItem('bakehouse.clientId', this.clientId);
    this.socket = null;
    this.reconnectDelayMs = 500;
  }

  async json(path, init) {
    return readJson(path, await fetch(this.base + '/api' + path, init));
  }

  post(path, body) {
    return this.send('POST', path, body);
  }

  /** A JSON request with any method (the panels PUT captions). */
  send(method, path, body) {
    return this.json(path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  }

  /** The URL of an API route (for <img src>). */
  url(path) {
    return `${this.base}/api${path}`;
  }

  objectInfo() {
    return this.json('/object_info');
  }

  /** POST /prompt; a 400 comes back as an ApiError whose body carries `error` and `node_errors`. */
  queuePrompt(prompt, workflow) {
    return this.post('/prompt', {
      client_id: this.clientId,
      prompt,
      extra_data: { extra_pnginfo: { workflow } },
    });
  }

  queue() {
    return this.json('/queue');
  }

  history(maxItems = 50) {
    return this.json(`/history?max_items=${maxItems}`);
  }

  interrupt() {
    return this.post('/interrupt', {});
  }

  deleteFromQueue(promptIds) {
    return this.post('/queue', { delete: promptIds });
  }

  clearHistory() {
    return this.post('/history', { clear: true });
  }

  /** The URL of a UI output entry ({filename, subfolder, type}) on /view. */
  viewUrl(file) {
    return this.url(viewPath(file));
  }

  /**
   * Opens the WebSocket and re-dispatches each JSON message as a DOM event named by its `type`
   * (`status`, `executing`, `progress`, …, and namespaced ones such as `bakehouse.train`), with
   * the message's `data` as the event's `detail`. Reconnects with back-off when the server goes.
   */
  connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const host = this.base ? new URL(this.base).host : location.host;
    const socket = new WebSocket(`${scheme}://${host}/api/ws?clientId=${encodeURIComponent(this.clientId)}`);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.reconnectDelayMs = 500;
      this.dispatchEvent(new CustomEvent('connection', { detail: { connected: true } }));
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') {
        const frame = parseBinaryFrame(event.data);
        if (frame) this.dispatchEvent(new CustomEvent(`binary:${frame.kind}`, { detail: frame }));
        return;
      }
      const message = JSON.parse(event.data);
      this.dispatchEvent(new CustomEvent(message.type, { detail: message.data }));
    });
    socket.addEventListener('close', () => {
      this.dispatchEvent(new CustomEvent('connection', { detail: { connected: false } }));
      setTimeout(() => this.connect(), this.reconnectDelayMs);
      this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 10_000);
    });
  }

  on(type, listener) {
    this.addEventListener(type, (event) => listener(event.detail));
  }
}
