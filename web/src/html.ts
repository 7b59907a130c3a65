// Building the page's elements. Text always goes in as text (textContent), never as markup, so
// names from a scenario cannot inject anything.
import type { Rich } from './rich';

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | boolean | undefined>;

export function el(tag: string, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function rich(parts: Rich): Node[] {
  return parts.map((part) => {
    if (typeof part === 'string') return document.createTextNode(part);
    if ('strong' in part) return el('strong', {}, part.strong);
    if ('em' in part) return el('i', {}, part.em);
    return el('code', {}, part.code);
  });
}

export function note(parts: Rich, className = 'note'): HTMLElement {
  return el('p', { class: className }, rich(parts));
}

// A deal's name that may break after an underscore, nowhere else.
export function breakable(name: string): Node[] {
  const nodes: Node[] = [];
  name.split('_').forEach((piece, i, all) => {
    nodes.push(document.createTextNode(piece + (i < all.length - 1 ? '_' : '')));
    if (i < all.length - 1) nodes.push(document.createElement('wbr'));
  });
  return nodes;
}

// An amount that a line never breaks inside.
export function amount(text: string): HTMLElement {
  return el('span', { class: 'amount' }, text);
}

export function small(text: string): HTMLElement {
  return el('small', {}, text);
}

// A table in a horizontally scrolling box.
export function table(className: string, head: (Node | string)[], body: HTMLElement[] | HTMLElement[][]): HTMLElement {
  const thead = el('thead', {}, el('tr', {}, head.map((h) => (typeof h === 'string' ? el('th', {}, h) : h))));
  const bodies = (body.length > 0 && Array.isArray(body[0]) ? (body as HTMLElement[][]) : [body as HTMLElement[]]).map(
    (rows) => el('tbody', {}, rows),
  );
  return el('div', { class: 'wide' }, el('table', { class: className }, thead, bodies));
}
