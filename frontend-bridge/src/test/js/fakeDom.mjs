// Just enough of the DOM for the panels to build in Node: elements that keep children, classes,
// dataset, listeners and attributes, and a 2D canvas context that records its drawing calls.
class FakeClassList {
  constructor(element) {
    this.element = element;
  }

  #set() {
    return new Set(this.element.className.split(' ').filter(Boolean));
  }

  add(...names) {
    const set = this.#set();
    names.forEach((n) => set.add(n));
    this.element.className = [...set].join(' ');
  }

  remove(...names) {
    const set = this.#set();
    names.forEach((n) => set.delete(n));
    this.element.className = [...set].join(' ');
  }

  toggle(name, on) {
    if (on ?? !this.contains(name)) this.add(name);
    else this.remove(name);
  }

  contains(name) {
    return this.#set().has(name);
  }
}

export class FakeElement extends EventTarget {
  constructor(tag) {
    super();
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.className = '';
    this.classList = new FakeClassList(this);
    this.dataset = {};
    this.style = {};
    this.textContent = '';
    this.drawn = [];
  }

  append(...nodes) {
    for (const node of nodes) {
      node.parent?.children.splice(node.parent.children.indexOf(node), 1);
      node.parent = this;
      this.children.push(node);
    }
  }

  prepend(...nodes) {
    nodes.forEach((n) => { n.parent = this; });
    this.children.unshift(...nodes);
  }

  replaceChildren(...nodes) {
    this.children = [];
    this.append(...nodes);
  }

  remove() {
    this.parent?.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = null;
  }

  /** Every descendant (depth first) whose class list has `name`. */
  findAll(name) {
    const found = [];
    for (const child of this.children) {
      if (child.classList.contains(name)) found.push(child);
      found.push(...child.findAll(name));
    }
    return found;
  }

  getContext() {
    const drawn = this.drawn;
    return new Proxy({}, {
      get: (target, key) => (key in target ? target[key] : (...args) => drawn.push([key, ...args])),
      set: (target, key, value) => { target[key] = value; return true; },
    });
  }
}

/** Installs a fake `document` on globalThis; returns it. */
export function installFakeDocument() {
  const doc = new EventTarget();
  doc.createElement = (tag) => new FakeElement(tag);
  doc.body = new FakeElement('body');
  doc.head = new FakeElement('head');
  globalThis.document = doc;
  return doc;
}
