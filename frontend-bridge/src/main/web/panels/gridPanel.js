// Grid viewer: a SampleGrid's cells as a zoomable table with its axis labels (X columns, Y rows,
// Z pages); clicking a cell shows it full size with the settings it was sampled with. Grids come
// from `executed` events and from /history, so a grid finished before the page opened shows too.
import { definePanel, el } from './panels.js';
import { cellSettings, gridFromOutput, gridsFromHistory, pageRows } from './gridModel.js';

/** A full-size overlay of one cell; click or Escape closes it. */
export function showCell(api, grid, cell, doc = document) {
  const overlay = el('div', 'bakehouse-overlay');
  overlay.dataset.cell = `${cell.x},${cell.y},${cell.z}`;
  const image = el('img');
  image.src = api.viewUrl(cell.image);
  image.alt = cell.image.filename;
  const table = el('table', 'cell-settings');
  for (const [label, value] of cellSettings(grid, cell)) {
    const row = el('tr');
    row.append(el('td', null, label), el('td', null, value));
    table.append(row);
  }
  overlay.append(image, table);
  const close = () => {
    overlay.remove();
    doc.removeEventListener('keydown', onKey);
  };
  const onKey = (event) => event.key === 'Escape' && close();
  overlay.addEventListener('click', close);
  doc.addEventListener('keydown', onKey);
  doc.body.append(overlay);
  return overlay;
}

definePanel({
  id: 'grid',
  title: 'Grids',
  icon: 'pi pi-th-large',
  order: 40,
  create({ api }) {
    const root = el('div', 'grid-panel');
    const toolbar = el('div', 'grid-toolbar');
    const picker = el('select', 'grid-picker');
    const pages = el('select', 'grid-page');
    const zoom = el('input', 'grid-zoom');
    Object.assign(zoom, { type: 'range', min: '32', max: '512', step: '16', value: '96', title: 'Cell size' });
    const refresh = el('button', 'small', 'Refresh');
    toolbar.append(picker, pages, el('span', null, 'zoom'), zoom, refresh);
    const scroll = el('div', 'grid-scroll');
    const empty = el('div', 'muted', 'No SampleGrid result yet (give it a filename_prefix to keep its cells).');
    root.append(toolbar, empty, scroll);

    const grids = new Map();
    const render = () => {
      const grid = grids.get(picker.value);
      scroll.replaceChildren();
      empty.hidden = grids.size > 0;
      pages.hidden = !grid || grid.z.values.length < 2;
      root.dataset.grids = String(grids.size); // what the browser test reads
      if (!grid) return;
      const size = `${zoom.value}px`;
      const table = el('table', 'grid-table');
      const head = el('tr');
      head.append(el('th', 'grid-axis-title', `${grid.y.type} \\ ${grid.x.type}`));
      for (const label of grid.x.values) head.append(el('th', null, label));
      table.append(head);
      pageRows(grid, Number(pages.value) || 0).forEach((cells, y) => {
        const row = el('tr');
        row.append(el('th', null, grid.y.values[y]));
        for (const cell of cells) {
          const td = el('td');
          if (cell?.image) {
            const image = el('img', 'grid-cell');
            image.src = api.viewUrl(cell.image);
            image.alt = cell.image.filename;
            image.style.width = size;
            image.dataset.cell = `${cell.x},${cell.y},${cell.z}`;
            image.addEventListener('click', () => showCell(api, grid, cell));
            td.append(image);
          }
          row.append(td);
        }
        table.append(row);
      });
      scroll.append(table);
    };
    const add = (grid, select) => {
      if (!grids.has(grid.key)) {
        const option = el('option', null, `#${grid.node} ${grid.x.type} × ${grid.y.type} (${grid.promptId.slice(0, 8)})`);
        option.value = grid.key;
        picker.prepend(option);
      }
      grids.set(grid.key, grid);
      if (select || !picker.value) {
        picker.value = grid.key;
        pages.replaceChildren(...grid.z.values.map((label, i) => Object.assign(el('option', null, `${grid.z.type}: ${label}`), { value: String(i) })));
      }
      render();
    };
    const load = async () => {
      const history = await api.json('/history?max_items=50');
      for (const grid of gridsFromHistory(history).reverse()) add(grid, false);
      render();
    };
    picker.addEventListener('change', () => add(grids.get(picker.value), true));
    pages.addEventListener('change', render);
    zoom.addEventListener('input', render);
    refresh.addEventListener('click', () => load().catch((error) => { empty.textContent = error.message; }));
    api.on('executed', (data) => {
      const grid = gridFromOutput(data.output, data.prompt_id, data.node);
      if (grid) add(grid, true);
    });
    load().catch((error) => { empty.textContent = `Grids: ${error.message}`; });
    return root;
  },
});
