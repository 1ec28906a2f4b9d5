// Dataset view: a kohya dataset folder's images with their captions and repeats (the N of each
// N_name sub-folder), from GET /bakehouse/datasets/{name}; a caption edited here is written to its
// .txt beside the image (PUT /bakehouse/datasets/{name}/caption) when the text area loses focus.
import { definePanel, el } from './panels.js';

const route = (name, rest = '') => `/bakehouse/datasets/${encodeURIComponent(name)}${rest}`;

definePanel({
  id: 'dataset',
  title: 'Dataset',
  icon: 'pi pi-images',
  order: 50,
  create({ api }) {
    const root = el('div', 'dataset-panel');
    const toolbar = el('div', 'dataset-toolbar');
    const picker = el('select', 'dataset-picker');
    const reload = el('button', 'small', 'Reload');
    toolbar.append(picker, reload);
    const summary = el('div', 'muted');
    const list = el('div', 'dataset-list');
    root.append(toolbar, summary, list);

    const show = async (name) => {
      list.replaceChildren();
      if (!name) {
        summary.textContent = 'No dataset folder under datasets/.';
        return;
      }
      const dataset = await api.json(route(name));
      const images = dataset.subsets.reduce((n, s) => n + s.images.length, 0);
      summary.textContent = `${dataset.name}: ${images} images in ${dataset.subsets.length} folders`
        + (dataset.warnings.length ? ` · ${dataset.warnings.join('; ')}` : '');
      for (const subset of dataset.subsets) {
        list.append(el('div', 'dataset-subset', `${subset.folder} · ${subset.repeats} repeats · class "${subset.class_tokens}"`));
        for (const image of subset.images) list.append(item(name, image));
      }
      root.dataset.dataset = name; // what the browser test reads
      root.dataset.images = String(images);
    };

    const item = (name, image) => {
      const row = el('div', 'dataset-item');
      row.dataset.file = image.file;
      const thumb = el('img');
      thumb.src = api.url(route(name, `/image?${new URLSearchParams({ file: image.file })}`));
      thumb.alt = image.file;
      thumb.title = image.file;
      const caption = el('textarea', 'dataset-caption');
      caption.value = image.caption ?? '';
      caption.placeholder = 'no caption file';
      let saved = caption.value;
      caption.addEventListener('input', () => caption.classList.remove('saved', 'failed'));
      caption.addEventListener('change', async () => {
        try {
          const answer = await api.send('PUT', route(name, '/caption'), { file: image.file, caption: caption.value });
          saved = answer.caption;
          caption.classList.add('saved');
          caption.title = `saved to ${answer.caption_file}`;
        } catch (error) {
          caption.classList.add('failed');
          caption.title = error.message;
          caption.value = saved;
        }
      });
      row.append(thumb, caption);
      return row;
    };

    const refresh = async () => {
      const { datasets } = await api.json('/bakehouse/datasets');
      const current = picker.value;
      picker.replaceChildren(...datasets.map((name) => Object.assign(el('option', null, name), { value: name })));
      picker.value = datasets.includes(current) ? current : datasets[0] ?? '';
      await show(picker.value);
    };
    const report = (error) => { summary.textContent = `Dataset: ${error.message}`; };
    picker.addEventListener('change', () => show(picker.value).catch(report));
    reload.addEventListener('click', () => refresh().catch(report));
    refresh().catch(report);
    return root;
  },
});
