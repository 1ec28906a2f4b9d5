// The panels' view of the server (the subset of ServerApi they use: `on`, `json`, `send`,
// `viewUrl`, `url`) on top of the official ComfyUI frontend's `api` object, so the same panel
// modules run inside that frontend. ComfyUI's `api` re-dispatches every WebSocket message whose
// type it does not know (such as `bakehouse.train`) as a CustomEvent carrying the message's data.
import { readJson, viewPath } from '../api.js';

export class ComfyApiAdapter {
  /** @param comfyApi the frontend's `api` (window.comfyAPI.api.api): addEventListener, fetchApi, apiURL */
  constructor(comfyApi) {
    this.comfy = comfyApi;
  }

  on(type, listener) {
    this.comfy.addEventListener(type, (event) => listener(event.detail));
  }

  /** `path` is an API route such as `/bakehouse/datasets`; fetchApi adds the `/api` prefix. */
  async json(path, init) {
    return readJson(path, await this.comfy.fetchApi(path, init));
  }

  send(method, path, body) {
    return this.json(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  }

  /** The absolute URL of an API route (for <img src>). */
  url(path) {
    return this.comfy.apiURL(path);
  }

  viewUrl(file) {
    return this.url(viewPath(file));
  }
}
