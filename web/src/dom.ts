// Tiny DOM builder. Text goes through textContent only: labels come from loaded data and are
// never trusted as HTML.
export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown>;

export function h(tag: string, attrs: Attrs | null = null, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") {
        e.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
      } else if (k === "class") {
        e.className = String(v);
      } else if (k === "style" && typeof v === "object") {
        Object.assign(e.style, v);
      } else if (k === "value" || (k in e && typeof v !== "string")) {
        (e as unknown as Record<string, unknown>)[k] = v;
      } else {
        e.setAttribute(k, v === true ? "" : String(v));
      }
    }
  }
  append(e, children);
  return e;
}

export function append(e: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(e, c);
    else if (c instanceof Node) e.appendChild(c);
    else e.appendChild(document.createTextNode(String(c)));
  }
}

let counter = 0;
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

export function $(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e;
}
