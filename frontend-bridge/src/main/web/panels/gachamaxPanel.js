// The GACHAMAX loop in the editor: a timeline of a loop's rounds (dataset version, picks, LoRA,
// scores) and, for the round that awaits picks, the candidate picker: select candidates (and edit
// the captions they join with), mark weak dataset images to drop, confirm — which records the
// picks (POST /bakehouse/gachamax/{loop}/pick) and queues the graph again for the next round.
// Refreshes on the GachamaxRound node's `bakehouse.gachamax` events.
import { definePanel, el } from './panels.js';

/** What the picker has chosen for the round on screen. */
export class PickState {
  constructor(round) {
    this.round = round?.round ?? null;
    this.picked = new Map(); // candidate id -> caption
    this.drops = new Set();
  }

  toggleCandidate(candidate) {
    if (this.picked.has(candidate.id)) this.picked.delete(candidate.id);
    else this.picked.set(candidate.id, candidate.prompt);
  }

  setCaption(id, text) {
    if (this.picked.has(id)) this.picked.set(id, text);
  }

  toggleDrop(image) {
    if (this.drops.has(image)) this.drops.delete(image);
    else this.drops.add(image);
  }

  /** The pick route's body: captions only where they differ from the prompt. */
  body(candidates) {
    const captions = {};
    for (const [id, caption] of this.picked) {
      const candidate = candidates.find((c) => c.id === id);
      if (candidate && caption !== candidate.prompt) captions[id] = caption;
    }
    return { round: this.round, candidates: [...this.picked.keys()], captions, drops: [...this.drops] };
  }
}

const fmt = (value) => (value == null ? '–' : Number(value).toFixed(3));

function roundLine(round) {
  const d = round.dataset;
  const dataset = d ? `dataset v${d.version}: ${d.images.length} images (+${d.added.length} −${d.dropped.length})` : '';
  const picks = round.candidates.filter((c) => c.picked).length;
  const s = round.scores;
  const scores = s ? `closeness ${fmt(s.closeness)} · following ${fmt(s.prompt_following)} · kiki ${fmt(s.trigger_agreement)} · overfit ${fmt(s.overfit)}` : '';
  const lora = round.lora ? `${round.lora} (${(round.lora_hash ?? '').slice(0, 10)})` : 'training…';
  return [`Round ${round.round} — ${round.status.replace('_', ' ')}`, dataset,
    `picks ${picks}/${round.candidates.length} · steps ${round.steps} (total ${round.total_steps})`, lora, scores]
    .filter(Boolean);
}

definePanel({
  id: 'gachamax',
  title: 'GACHAMAX',
  order: 40,
  create({ api, editor }) {
    const root = el('div', 'gachamax-panel');
    const bar = el('div', 'gachamax-bar');
    const select = el('select', 'gachamax-loop');
    const refresh = el('button', 'gachamax-refresh', 'Refresh');
    bar.append(select, refresh);
    const picker = el('div', 'gachamax-picker');
    const timeline = el('ol', 'gachamax-timeline');
    const message = el('div', 'gachamax-message');
    root.append(bar, message, picker, timeline);
    let loop = null;
    let state = new PickState(null);

    const image = (src, title) => {
      const img = el('img');
      img.src = src;
      img.title = title;
      img.loading = 'lazy';
      return img;
    };
    const candidateUrl = (c) => {
      const slash = c.file.lastIndexOf('/');
      return api.viewUrl({ filename: c.file.slice(slash + 1), subfolder: c.file.slice(0, slash), type: 'output' });
    };

    function renderPicker(round) {
      picker.replaceChildren();
      if (!round || round.status !== 'awaiting_picks') return;
      if (state.round !== round.round) state = new PickState(round);
      picker.append(el('h4', null, `Round ${round.round}: pick the candidates that join dataset v${round.dataset_version + 1}`));
      const grid = el('div', 'gachamax-candidates');
      for (const c of round.candidates) {
        const card = el('figure', 'gachamax-candidate');
        card.dataset.id = String(c.id);
        card.classList.toggle('selected', state.picked.has(c.id));
        const caption = el('textarea', 'gachamax-caption');
        caption.value = state.picked.get(c.id) ?? c.prompt;
        caption.disabled = !state.picked.has(c.id);
        caption.addEventListener('input', () => state.setCaption(c.id, caption.value));
        const img = image(candidateUrl(c), `${c.prompt}\nseed ${c.seed}${c.score != null ? `, score ${fmt(c.score)}` : ''}`);
        img.addEventListener('click', () => {
          state.toggleCandidate(c);
          renderPicker(round);
        });
        card.append(img, el('figcaption', null, c.score != null ? `score ${fmt(c.score)}` : `#${c.index}`), caption);
        grid.append(card);
      }
      picker.append(grid);
      if (round.dataset) {
        picker.append(el('h4', null, `Dataset v${round.dataset.version}: click an image to drop it from the next version`));
        const images = el('div', 'gachamax-dataset');
        for (const name of round.dataset.images) {
          const query = new URLSearchParams({ name });
          const img = image(`${api.base}/api/bakehouse/gachamax/${encodeURIComponent(loop)}/dataset/${round.dataset.version}/image?${query}`, name);
          const item = el('figure', 'gachamax-dataset-image');
          item.dataset.name = name;
          item.classList.toggle('dropped', state.drops.has(name));
          img.addEventListener('click', () => {
            state.toggleDrop(name);
            renderPicker(round);
          });
          item.append(img, el('figcaption', null, name));
          images.append(item);
        }
        picker.append(images);
      }
      const queueNext = el('label', 'gachamax-queue-next');
      const checkbox = el('input');
      checkbox.type = 'checkbox';
      checkbox.checked = true;
      queueNext.append(checkbox, ' queue the next round');
      const confirm = el('button', 'gachamax-confirm', `Confirm ${state.picked.size} pick(s), ${state.drops.size} drop(s)`);
      confirm.addEventListener('click', async () => {
        confirm.disabled = true;
        try {
          await api.post(`/bakehouse/gachamax/${encodeURIComponent(loop)}/pick`, state.body(round.candidates));
          message.textContent = `Round ${round.round}: picks recorded.`;
          if (checkbox.checked) await editor.queuePrompt();
        } catch (error) {
          message.textContent = `Pick failed: ${error.body?.error ?? error.message}`;
        }
        await reload();
      });
      picker.append(queueNext, confirm);
    }

    function renderTimeline(data) {
      timeline.replaceChildren();
      for (const round of data.rounds) {
        const item = el('li', 'gachamax-round');
        item.dataset.round = String(round.round);
        item.dataset.status = round.status;
        for (const line of roundLine(round)) item.append(el('div', null, line));
        const thumbs = el('div', 'gachamax-thumbs');
        for (const c of round.candidates) {
          const img = image(candidateUrl(c), c.prompt);
          img.classList.toggle('picked', c.picked);
          thumbs.append(img);
        }
        item.append(thumbs);
        timeline.append(item);
      }
    }

    async function load() {
      const { loops } = await api.json('/bakehouse/gachamax');
      const names = loops.map((l) => l.name);
      select.replaceChildren(...names.map((n) => el('option', null, n)));
      if (!names.includes(loop)) loop = names.at(-1) ?? null;
      select.value = loop ?? '';
      if (!loop) {
        message.textContent = 'No GACHAMAX loop yet: queue a graph with a GACHAMAX Round node.';
        picker.replaceChildren();
        timeline.replaceChildren();
        return;
      }
      if (message.textContent.startsWith('No GACHAMAX loop')) message.textContent = '';
      const data = await api.json(`/bakehouse/gachamax/${encodeURIComponent(loop)}`);
      const last = data.rounds.at(-1);
      root.dataset.loop = loop;
      root.dataset.rounds = String(data.rounds.length); // what the browser test reads
      root.dataset.status = last?.status ?? 'new';
      renderTimeline(data);
      renderPicker(last);
    }

    const reload = () => load().catch((error) => {
      message.textContent = `Could not load the GACHAMAX loops: ${error.body?.error ?? error.message}`;
    });
    select.addEventListener('change', () => {
      loop = select.value;
      reload();
    });
    refresh.addEventListener('click', reload);
    api.on('bakehouse.gachamax', (data) => {
      loop = data.loop;
      reload();
    });
    api.on('connection', ({ connected }) => connected && reload());
    return root;
  },
});
