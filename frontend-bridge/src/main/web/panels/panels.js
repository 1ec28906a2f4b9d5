// The side bar's panels. Each panel is a module that calls definePanel; main.js imports them.
// Later Bakehouse panels (loss chart, grid viewer, dataset view, GACHAMAX) plug in the same way,
// and the same modules can be wrapped as a ComfyUI frontend extension.

const panels = [];

/**
 * @param {{id: string, title: string, order?: number, create: (ctx) => HTMLElement}} panel
 *   `create` gets `{api, graph, canvas, tracker, editor}` once and returns the panel's element.
 */
export function definePanel(panel) {
  panels.push(panel);
  panels.sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}

/** The panels defined so far, in display order. */
export function definedPanels() {
  return [...panels];
}

/** Builds the tab bar and bodies of every defined panel into `host`; shows the first. */
export function mountPanels(host, ctx) {
  const tabs = el('nav', 'panel-tabs');
  const bodies = el('div', 'panel-bodies');
  host.append(tabs, bodies);
  const entries = panels.map((panel) => {
    const tab = el('button', 'panel-tab', panel.title);
    tab.dataset.panel = panel.id;
    const body = el('section', 'panel-body');
    body.dataset.panel = panel.id;
    body.append(panel.create(ctx));
    tabs.append(tab);
    bodies.append(body);
    return { panel, tab, body };
  });
  const show = (id) => entries.forEach(({ panel, tab, body }) => {
    tab.classList.toggle('active', panel.id === id);
    body.hidden = panel.id !== id;
  });
  entries.forEach(({ panel, tab }) => tab.addEventListener('click', () => show(panel.id)));
  if (entries.length > 0) show(entries[0].panel.id);
  return { show };
}

/** A tiny element helper shared by the panels. */
export function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text != null) element.textContent = text;
  return element;
}
