// Node palette: every server node by category, filtered by a search box; click adds the node at
// the view's centre, dragging drops it where released.
import { definePanel, el } from './panels.js';

/** Lower-case words a search can match: name, display name, category, description. */
function searchText(def) {
  return [def.name, def.display_name, def.category, def.description].join(' ').toLowerCase();
}

export function matches(def, query) {
  const text = searchText(def);
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((word) => text.includes(word));
}

definePanel({
  id: 'nodes',
  title: 'Nodes',
  order: 10,
  create({ editor }) {
    const root = el('div', 'palette');
    const search = el('input', 'palette-search');
    search.type = 'search';
    search.placeholder = 'Search nodes…';
    const list = el('div', 'palette-list');
    root.append(search, list);

    const render = () => {
      list.replaceChildren();
      let category = null;
      const shown = editor.defs.filter((def) => matches(def, search.value));
      for (const def of shown) {
        if (def.category !== category) {
          category = def.category;
          list.append(el('div', 'palette-category', category || '(no category)'));
        }
        const item = el('button', 'palette-item', def.display_name || def.name);
        item.title = def.description || def.name;
        item.dataset.nodeType = def.name;
        item.draggable = true;
        item.addEventListener('click', () => editor.addNode(def.name));
        item.addEventListener('dragstart', (event) => event.dataTransfer.setData('application/x-bakehouse-node', def.name));
        list.append(item);
      }
      if (shown.length === 0) list.append(el('div', 'palette-empty', 'No node matches.'));
    };
    search.addEventListener('input', render);
    search.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      const first = list.querySelector('.palette-item');
      if (first) first.click();
    });
    editor.addEventListener('definitions', render);
    render();
    return root;
  },
});
