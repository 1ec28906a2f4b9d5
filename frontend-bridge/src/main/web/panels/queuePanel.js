// Queue and history: running and pending prompts (cancel one), finished ones with their status
// and output images (click an image to open it, "Load" restores the prompt's workflow).
import { definePanel, el } from './panels.js';

definePanel({
  id: 'queue',
  title: 'Queue',
  order: 20,
  create({ api, editor, tracker }) {
    const root = el('div', 'queue-panel');
    const running = el('div', 'queue-section');
    const history = el('div', 'queue-section');
    const clear = el('button', 'small', 'Clear history');
    clear.addEventListener('click', async () => {
      await api.clearHistory();
      refresh();
    });
    root.append(el('h3', null, 'Queue'), running, el('h3', null, 'History'), clear, history);

    // One request at a time; a refresh asked for meanwhile runs once after it, so the last
    // event's state is always shown (a dropped refresh left a finished prompt "running").
    let inFlight = false;
    let again = false;
    const refresh = async () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      try {
        do {
          again = false;
          const [queue, past] = await Promise.all([api.queue(), api.history(30)]);
          renderQueue(queue);
          renderHistory(past);
        } while (again);
      } catch (error) {
        editor.showError(`Queue/history: ${error.message}`);
      } finally {
        inFlight = false;
      }
    };

    function renderQueue(queue) {
      running.replaceChildren();
      const items = [...(queue.queue_running ?? []).map((item) => [item, true]),
        ...(queue.queue_pending ?? []).map((item) => [item, false])];
      if (items.length === 0) running.append(el('div', 'muted', 'Nothing queued.'));
      for (const [[number, promptId, prompt], isRunning] of items) {
        const row = el('div', 'queue-item' + (isRunning ? ' running' : ''));
        row.append(el('span', null, `#${number} ${isRunning ? 'running' : 'pending'} · ${Object.keys(prompt).length} nodes`));
        const cancel = el('button', 'small', isRunning ? 'Interrupt' : 'Cancel');
        cancel.addEventListener('click', async () => {
          if (isRunning) await api.interrupt();
          else await api.deleteFromQueue([promptId]);
          refresh();
        });
        row.append(cancel);
        running.append(row);
      }
    }

    function renderHistory(past) {
      history.replaceChildren();
      const entries = Object.entries(past ?? {}).reverse();
      if (entries.length === 0) history.append(el('div', 'muted', 'No finished prompt.'));
      for (const [promptId, entry] of entries) {
        const row = el('div', 'history-item');
        row.dataset.promptId = promptId;
        const status = entry.status?.status_str ?? 'unknown';
        row.append(el('div', `history-status ${status}`, `#${entry.prompt?.[0] ?? '?'} ${status}`));
        const images = el('div', 'history-images');
        for (const output of Object.values(entry.outputs ?? {})) {
          for (const file of output.images ?? []) {
            const link = el('a');
            link.href = api.viewUrl(file);
            link.target = '_blank';
            const image = el('img', 'preview-image');
            image.src = api.viewUrl(file);
            image.alt = file.filename;
            link.append(image);
            images.append(link);
          }
        }
        row.append(images);
        const workflow = entry.prompt?.[3]?.extra_pnginfo?.workflow;
        const load = el('button', 'small', 'Load');
        load.addEventListener('click', () => editor.loadJson(workflow ?? entry.prompt?.[2], `history ${promptId}`));
        row.append(load);
        history.append(row);
      }
    }

    api.on('status', refresh);
    tracker.addEventListener('executed', refresh);
    api.on('execution_success', refresh);
    api.on('execution_error', refresh);
    api.on('execution_interrupted', refresh);
    refresh();
    return root;
  },
});
