// Reusable controls: an accessible autocomplete (ARIA combobox) over the `search` query, and a
// list of chosen items with remove buttons.
import { ApiError, gql } from "./api";
import { h, uid } from "./dom";
import { t } from "./i18n";
import { label, type Named } from "./profile";
import { groupTree } from "./tree";

export interface Hit extends Named {
  type: string;
  kind: string | null;
  source: string;
  code: string | null;
  matched: string;
}

const SEARCH = `query Search($text: String!, $kinds: [NodeType!], $first: Int!) {
  search(text: $text, kinds: $kinds, first: $first) {
    matchedLabel
    node { id type source code fr: label(lang: FR) en: label(lang: EN) ... on Skill { kind } }
  }
}`;

export async function searchNodes(text: string, kinds: string[], first = 8): Promise<Hit[]> {
  const d = await gql(SEARCH, { text, kinds, first });
  return d.search.map((r: any) => ({
    id: r.node.id,
    fr: r.node.fr,
    en: r.node.en,
    type: r.node.type,
    kind: r.node.kind ?? null,
    source: r.node.source,
    code: r.node.code,
    matched: r.matchedLabel,
  }));
}

function sourceTag(hit: Hit): string {
  if (hit.source.startsWith("rome")) return hit.code ? `ROME ${hit.code}` : "ROME";
  if (hit.source.startsWith("esco")) return "ESCO";
  return hit.source;
}

/** A text field that proposes nodes of `kinds` as one types; `onPick` gets the chosen one. */
export function autocomplete(opts: {
  label: string;
  kinds: string[];
  onPick: (hit: Hit) => void;
  hint?: string;
  testid?: string;
  placeholder?: string;
}): HTMLElement {
  const id = uid("ac");
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const input = h("input", {
    id,
    type: "text",
    role: "combobox",
    autocomplete: "off",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": listId,
    "aria-describedby": opts.hint ? hintId : undefined,
    placeholder: opts.placeholder,
    "data-testid": opts.testid,
  }) as HTMLInputElement;
  const list = h("ul", { id: listId, role: "listbox", class: "ac-list", hidden: true, "aria-label": opts.label });
  const status = h("p", { class: "ac-status", role: "status", "aria-live": "polite" });
  let hits: Hit[] = [];
  let active = -1;
  let timer = 0;
  let seq = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (i: number) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute("aria-selected", j === i ? "true" : "false"));
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", `${listId}-${i}`);
      (list.children[i] as HTMLElement).scrollIntoView({ block: "nearest" });
    }
  };
  const pick = (i: number) => {
    const hit = hits[i];
    if (!hit) return;
    input.value = "";
    close();
    status.textContent = "";
    opts.onPick(hit);
    input.focus();
  };
  const run = async () => {
    const text = input.value.trim();
    if (text.length < 2) {
      close();
      status.textContent = "";
      return;
    }
    const mine = ++seq;
    try {
      const found = await searchNodes(text, opts.kinds);
      if (mine !== seq) return;
      hits = found;
      list.replaceChildren(
        ...hits.map((hit, i) =>
          h(
            "li",
            {
              id: `${listId}-${i}`,
              role: "option",
              "aria-selected": "false",
              onmousedown: (e: Event) => {
                e.preventDefault();
                pick(i);
              },
            },
            h("span", { class: "ac-label" }, label(hit)),
            h("span", { class: "tag" }, sourceTag(hit)),
            hit.matched && hit.matched !== label(hit) ? h("span", { class: "muted small" }, ` « ${hit.matched} »`) : null,
          ),
        ),
      );
      status.textContent = hits.length ? "" : t("noResults");
      list.hidden = hits.length === 0;
      input.setAttribute("aria-expanded", hits.length ? "true" : "false");
      highlight(hits.length ? 0 : -1);
    } catch (e) {
      if (mine !== seq) return;
      close();
      status.textContent = e instanceof ApiError ? e.human() : t("err.UNKNOWN");
    }
  };
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 180);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && hits.length) {
      e.preventDefault();
      if (list.hidden) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      highlight(Math.min(active + 1, hits.length - 1));
    } else if (e.key === "ArrowUp" && hits.length) {
      e.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (e.key === "Enter") {
      if (!list.hidden && active >= 0) {
        e.preventDefault();
        pick(active);
      }
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => window.setTimeout(close, 150));
  return h(
    "div",
    { class: "field ac" },
    h("label", { for: id }, opts.label),
    opts.hint ? h("p", { id: hintId, class: "hint" }, opts.hint) : null,
    h("div", { class: "ac-box" }, input, list),
    status,
  );
}

/** Chosen items as removable chips, with an autocomplete to add more. */
export function namedList(opts: {
  title: string;
  items: Named[];
  kinds: string[];
  searchLabel: string;
  onChange: () => void;
  testid?: string;
  hint?: string;
  browse?: boolean; // occupation groups: a browsable tree beside the search
}): HTMLElement {
  const chips = h("ul", { class: "chips", "aria-label": opts.title });
  const draw = () => {
    chips.replaceChildren(
      ...(opts.items.length
        ? opts.items.map((n, i) =>
            h(
              "li",
              { class: "chip" },
              h("span", null, label(n)),
              h(
                "button",
                {
                  type: "button",
                  class: "chip-x",
                  "aria-label": t("profile.remove", { label: label(n) }),
                  onclick: () => {
                    opts.items.splice(i, 1);
                    draw();
                    opts.onChange();
                  },
                },
                "×",
              ),
            ),
          )
        : [h("li", { class: "muted small" }, t("profile.none"))]),
    );
  };
  draw();
  return h(
    "div",
    { class: "named-list", "data-testid": opts.testid },
    h("h4", null, opts.title),
    chips,
    autocomplete({
      label: opts.searchLabel,
      kinds: opts.kinds,
      hint: opts.hint,
      testid: opts.testid ? `${opts.testid}-search` : undefined,
      onPick: (hit) => {
        if (!opts.items.some((x) => x.id === hit.id)) opts.items.push({ id: hit.id, fr: hit.fr, en: hit.en });
        draw();
        opts.onChange();
      },
    }),
    opts.browse
      ? groupTree((g) => {
          if (!opts.items.some((x) => x.id === g.id)) opts.items.push(g);
          draw();
          opts.onChange();
        }, opts.testid ? `${opts.testid}-tree` : undefined)
      : null,
  );
}

/** A horizontal bar for a value in [0, 1], with its text for screen readers. */
export function bar(name: string, value: number, cls = "", hint = "", part = ""): HTMLElement {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  const hintId = hint ? uid("bh") : "";
  return h(
    "div",
    { class: `bar-row ${cls}`, "data-part": part || null },
    h("span", { class: "bar-name" }, name),
    h(
      "span",
      { class: "bar-track", role: "img", "aria-label": `${name} : ${pct} %`, "aria-describedby": hintId || null },
      h("span", { class: "bar-fill", style: { width: `${pct}%` } }),
    ),
    h("span", { class: "bar-val", "aria-hidden": "true" }, `${pct} %`),
    hint ? h("span", { class: "bar-hint", id: hintId }, hint) : null,
  );
}

export function errorBox(e: unknown, retry?: () => void): HTMLElement {
  const text = e instanceof ApiError ? e.human() : t("err.UNKNOWN");
  if (!(e instanceof ApiError)) console.error(e);
  return h(
    "div",
    { class: "error-box", role: "alert" },
    h("p", null, text),
    retry ? h("button", { type: "button", class: "btn", onclick: retry }, t("err.retry")) : null,
  );
}
