// Pilotage (issue 12): for an agency, a region or a training funder, which jobs, skills and
// trainings open the most doors to a population (occupations with head counts). Charts are
// drawn with Observable Plot, loaded only on this view; each can be exported as CSV, SVG
// and PNG, and read as a table.
import { gql } from "../api";
import { h, uid } from "../dom";
import { gqlLang, lang, num, t } from "../i18n";
import { label } from "../profile";
import { parsePopulation, toCsv, type Group } from "../population";
import { validCommune } from "../profile";
import { oneLang } from "../state";
import { errorBox } from "../widgets";

const PILOTAGE = `query Pilotage($pop: PopulationInput!, $first: Int!, $lang: Lang!) {
  populationOptions(population: $pop, first: $first) {
    occupation { id code label(lang: $lang) } people share
    origins { occupation { id label(lang: $lang) } count score }
  }
  skillLeverage(population: $pop, first: $first) { skill { id label(lang: $lang) } newOptions people }
  trainingLeverage(population: $pop, first: $first) {
    training { id label(lang: $lang) illustrative } newOptions hours optionsPerHour people
  }
  transferableSkills(population: $pop, first: $first) { skill { id label(lang: $lang) } clusters heldBy }
}`;

const FIRST = 15;
const VIABILITY = 0.3; // the service's default (Nesta's threshold)
const KEY = "cartonet.population"; // the pasted table, in this browser only

interface Chart {
  id: string;
  title: string;
  intro: string;
  value: string; // the bar's measure, as a column name
  unit?: string;
  rows: { name: string; value: number; note: string }[];
  header: string[];
  table: (string | number | null)[][];
}

/** A value with the digits it needs: options per training hour are thousandths. */
function figure(v: number): string {
  if (Number.isInteger(v)) return num(v);
  const a = Math.abs(v);
  return num(v, a < 0.01 ? 4 : a < 10 ? 2 : 1);
}

function short(s: string, n = 48): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function download(name: string, blob: Blob): void {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return new XMLSerializer().serializeToString(copy);
}

async function svgToPng(svg: SVGSVGElement): Promise<Blob> {
  const w = Number(svg.getAttribute("width")) || svg.clientWidth;
  const hgt = Number(svg.getAttribute("height")) || svg.clientHeight;
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    await new Promise((ok, fail) => {
      img.onload = ok;
      img.onerror = fail;
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = w * 2;
    canvas.height = hgt * 2;
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, w, hgt);
    return await new Promise<Blob>((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error("png"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

function charts(d: any): Chart[] {
  const pct = (x: number) => `${num(x * 100, 1)} %`;
  return [
    {
      id: "options",
      title: t("pil.options"),
      intro: t("pil.optionsIntro"),
      value: t("pil.col.share"),
      unit: " %",
      rows: d.populationOptions.map((o: any) => ({ name: label(o.occupation), value: o.share * 100, note: t("pil.people", { n: num(o.people) }) })),
      header: [t("pil.col.occupation"), "id", t("pil.col.people"), t("pil.col.share"), t("pil.col.origins")],
      table: d.populationOptions.map((o: any) => [label(o.occupation), o.occupation.id, o.people, pct(o.share), o.origins.map((g: any) => `${label(g.occupation)} (${g.count})`).join(" ; ")]),
    },
    {
      id: "skills",
      title: t("pil.skills"),
      intro: t("pil.skillsIntro"),
      value: t("pil.col.newOptions"),
      rows: d.skillLeverage.map((s: any) => ({ name: label(s.skill), value: s.newOptions, note: t("pil.people", { n: num(s.people) }) })),
      header: [t("pil.col.skill"), "id", t("pil.col.newOptions"), t("pil.col.people")],
      table: d.skillLeverage.map((s: any) => [label(s.skill), s.skill.id, Number(s.newOptions.toFixed(2)), s.people]),
    },
    {
      id: "trainings",
      title: t("pil.trainings"),
      intro: t("pil.trainingsIntro"),
      value: t("pil.col.perHour"),
      rows: d.trainingLeverage.map((r: any) => ({ name: (r.training.illustrative ? "* " : "") + label(r.training), value: r.optionsPerHour, note: r.hours != null ? `${num(r.hours)} h` : "" })),
      header: [t("pil.col.training"), "id", t("pil.col.newOptions"), t("pil.col.hours"), t("pil.col.perHour"), t("pil.col.people"), t("pil.col.illustrative")],
      table: d.trainingLeverage.map((r: any) => [label(r.training), r.training.id, Number(r.newOptions.toFixed(2)), r.hours, Number(r.optionsPerHour.toFixed(4)), r.people, r.training.illustrative ? t("yes") : t("no")]),
    },
    {
      id: "transferable",
      title: t("pil.transferable"),
      intro: t("pil.transferableIntro"),
      value: t("pil.col.clusters"),
      rows: d.transferableSkills.map((s: any) => ({ name: label(s.skill), value: s.clusters, note: t("pil.heldBy", { n: num(s.heldBy) }) })),
      header: [t("pil.col.skill"), "id", t("pil.col.clusters"), t("pil.col.heldBy")],
      table: d.transferableSkills.map((s: any) => [label(s.skill), s.skill.id, s.clusters, s.heldBy]),
    },
  ];
}

async function section(c: Chart, Plot: typeof import("@observablehq/plot")): Promise<HTMLElement> {
  const headId = uid("pil");
  const descId = uid("pil");
  const box = h("section", { class: "card pil-chart", "aria-labelledby": headId, "data-testid": `pil-${c.id}` });
  if (!c.rows.length) {
    box.append(h("h3", { id: headId }, c.title), h("p", { class: "muted" }, t("pil.empty")));
    return box;
  }
  const svg = Plot.plot({
    width: 760,
    height: 40 + c.rows.length * 26,
    marginLeft: 330,
    marginRight: 200,
    x: { label: c.value, grid: true },
    y: { label: null, domain: c.rows.map((r) => short(r.name)) },
    ariaLabel: c.title,
    ariaDescription: c.intro,
    style: { fontSize: "12px", color: "#1b1f24", background: "#fff" },
    marks: [
      Plot.barX(c.rows, { x: "value", y: (r: any) => short(r.name), fill: "#123f7a", title: (r: any) => `${r.name}: ${figure(r.value)} ${r.note}` }),
      Plot.text(c.rows, { x: "value", y: (r: any) => short(r.name), text: (r: any) => `${figure(r.value)}${c.unit ?? ""}${r.note ? ` · ${r.note}` : ""}`, textAnchor: "start", dx: 4, fill: "#1b1f24" }),
      Plot.ruleX([0]),
    ],
  }) as SVGSVGElement;
  // one image for assistive technology (its name, description and the table below say
  // it all): the marks' own aria-labels are kept as data-mark, not read one by one
  for (const g of svg.querySelectorAll("[aria-label]")) {
    g.setAttribute("data-mark", g.getAttribute("aria-label") ?? "");
    g.removeAttribute("aria-label");
  }
  svg.setAttribute("aria-label", c.title);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-describedby", descId);
  const file = `pilotage-${c.id}`;
  box.append(
    h("h3", { id: headId }, c.title),
    h("p", { class: "muted", id: descId }, c.intro),
    h("div", { class: "pil-svg" }, svg),
    h(
      "div",
      { class: "row no-print", role: "group", "aria-label": t("pil.export", { what: c.title }) },
      h("button", { type: "button", class: "btn", "data-testid": `pil-${c.id}-csv`, onclick: () => download(`${file}.csv`, new Blob([toCsv(c.header, c.table)], { type: "text/csv" })) }, t("pil.csv")),
      h("button", { type: "button", class: "btn", "data-testid": `pil-${c.id}-svg`, onclick: () => download(`${file}.svg`, new Blob([svgText(svg)], { type: "image/svg+xml" })) }, t("pil.svg")),
      h("button", { type: "button", class: "btn", "data-testid": `pil-${c.id}-png`, onclick: async () => download(`${file}.png`, await svgToPng(svg)) }, t("pil.png")),
    ),
    h(
      "details",
      { class: "pil-table" },
      h("summary", null, t("pil.table")),
      h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": c.title },
        h("table", null, h("caption", { class: "visually-hidden" }, c.title), h("thead", null, h("tr", null, c.header.map((x) => h("th", { scope: "col" }, x)))), h("tbody", null, c.table.map((r) => h("tr", null, r.map((v) => h("td", null, v == null ? "—" : String(v)))))))),
    ),
  );
  return box;
}

/** Where the population is looked at: a commune checked against the service (the area it
 * maps to, or a sentence refusing it), else an employment-area code, else nowhere. */
async function place(commune: string, area: string, out: HTMLElement): Promise<{ commune?: string; area?: string } | null> {
  const c = commune.trim().toUpperCase();
  const a = area.trim();
  out.replaceChildren();
  out.classList.remove("warn");
  const refuse = (text: string) => {
    out.classList.add("warn");
    out.textContent = text;
    return null;
  };
  if (c && a) return refuse(t("pil.both"));
  if (a) return { area: a };
  if (!c) return {};
  if (!validCommune(c)) return refuse(t("pil.communeBad", { v: commune.trim() }));
  out.textContent = t("profile.communeChecking");
  const d: any = await gql(`query Area($c: String!) { employmentArea(commune: $c) }`, { c });
  if (!d.employmentArea) return refuse(t("pil.communeUnknown", { v: c }));
  out.textContent = t("pil.communeArea", { v: c, area: d.employmentArea });
  return { commune: c };
}

export function pilotageView(root: HTMLElement): void {
  const areaId = uid("pil");
  const communeId = uid("pil");
  const placeId = uid("pil");
  const viabilityId = uid("pil");
  const fileId = uid("pil");
  let saved = "";
  try {
    saved = localStorage.getItem(KEY) ?? "";
  } catch {
    /* no storage */
  }
  const status = h("div", { role: "status", "aria-live": "polite", "data-testid": "pil-status" });
  const results = h("div", { class: "pil-results", "aria-live": "polite" });
  const area = h("textarea", { id: areaId, rows: "6", class: "mono", "data-testid": "pil-table", spellcheck: "false", value: saved, "aria-describedby": `${areaId}-h` }) as HTMLTextAreaElement;
  const communeInput = h("input", { id: communeId, type: "text", autocomplete: "off", maxlength: "5", "data-testid": "pil-commune", "aria-describedby": `${communeId}-h ${communeId}-s`, spellcheck: "false" }) as HTMLInputElement;
  const placeInput = h("input", { id: placeId, type: "text", autocomplete: "off", maxlength: "12", "data-testid": "pil-area", "aria-describedby": `${placeId}-h`, spellcheck: "false" }) as HTMLInputElement;
  const placeNote = h("p", { class: "hint", id: `${communeId}-s`, role: "status", "aria-live": "polite", "data-testid": "pil-place" });
  const viabilityInput = h("input", { id: viabilityId, type: "number", min: "0", max: "1", step: "0.05", inputmode: "decimal", value: String(VIABILITY), "data-testid": "pil-viability", "aria-describedby": `${viabilityId}-h` }) as HTMLInputElement;
  const checkPlace = () => place(communeInput.value, placeInput.value, placeNote).catch((e) => {
    placeNote.replaceChildren(errorBox(e));
    return null;
  });
  communeInput.addEventListener("change", () => void checkPlace());
  placeInput.addEventListener("change", () => void checkPlace());
  let seq = 0;
  const run = async () => {
    const mine = ++seq; // a later run wins over one still on its way
    results.removeAttribute("data-ready");
    const text = area.value;
    try {
      localStorage.setItem(KEY, text);
    } catch {
      /* private mode */
    }
    const parsed = parsePopulation(text);
    const problems = parsed.errors.map((e) => h("li", null, t("pil.line", { n: e.line }), t("colon"), t(e.key, { v: e.text })));
    if (!parsed.groups.length) {
      status.replaceChildren(h("p", { class: "warn" }, t("pil.none")), problems.length ? h("ul", { class: "warn small" }, problems) : "");
      results.replaceChildren();
      return;
    }
    const people = parsed.groups.reduce((a, g: Group) => a + g.count, 0);
    status.replaceChildren(
      h("p", null, t("pil.read", { groups: parsed.groups.length, people: num(people) })),
      problems.length ? h("div", { class: "warn small" }, h("p", null, t("pil.skipped", { n: problems.length })), h("ul", null, problems)) : "",
    );
    const viability = viabilityInput.value.trim() === "" ? VIABILITY : Number(viabilityInput.value);
    if (!viabilityInput.validity.valid || !Number.isFinite(viability) || viability < 0 || viability > 1) {
      status.append(h("p", { class: "warn" }, t("pil.viabilityBad")));
      results.replaceChildren();
      return;
    }
    results.replaceChildren(h("p", { class: "muted" }, t("loading")));
    const where = await checkPlace();
    if (mine !== seq) return;
    if (!where) {
      // the sentence next to the field says why; nothing is computed for a place refused
      status.append(h("p", { class: "warn" }, placeNote.textContent ?? ""));
      results.replaceChildren();
      return;
    }
    try {
      const [d, Plot] = await Promise.all([
        gql(PILOTAGE, { pop: { groups: parsed.groups, viability, ...where }, first: FIRST, lang: gqlLang() }).then(oneLang),
        import("@observablehq/plot"),
      ]);
      if (mine !== seq) return;
      const sections = await Promise.all(charts(d).map((c) => section(c, Plot)));
      const illustrative = d.trainingLeverage.some((r: any) => r.training.illustrative);
      results.replaceChildren(...sections, illustrative ? h("p", { class: "small muted" }, t("pil.illustrative")) : "");
      results.setAttribute("data-ready", "true");
    } catch (e) {
      if (mine === seq) results.replaceChildren(errorBox(e, run));
    }
  };
  const fileInput = h("input", {
    type: "file",
    id: fileId,
    accept: ".csv,.tsv,.txt,text/csv,text/plain",
    "data-testid": "pil-file",
    onchange: async (e: Event) => {
      const f = (e.target as HTMLInputElement).files?.[0];
      if (!f) return;
      area.value = await f.text();
      run();
    },
  });
  root.replaceChildren(
    h("div", { class: "view-head" }, h("h2", null, t("pil.title")), h("p", { class: "lead" }, t("pil.intro"))),
    h(
      "form",
      { class: "card", novalidate: true, "aria-label": t("pil.input"), onsubmit: (e: Event) => { e.preventDefault(); run(); } },
      h("div", { class: "field" }, h("label", { for: fileId }, t("pil.file")), fileInput),
      h(
        "div",
        { class: "field" },
        h("label", { for: areaId }, t("pil.paste")),
        h("p", { class: "hint", id: `${areaId}-h` }, t("pil.pasteHint")),
        area,
      ),
      h(
        "fieldset",
        { class: "field pil-where" },
        h("legend", null, t("pil.where")),
        h("div", { class: "field" }, h("label", { for: communeId }, t("pil.commune")), h("p", { class: "hint", id: `${communeId}-h` }, t("pil.communeHint")), communeInput, placeNote),
        h("div", { class: "field" }, h("label", { for: placeId }, t("pil.area")), h("p", { class: "hint", id: `${placeId}-h` }, t("pil.areaHint")), placeInput),
        h("div", { class: "field" }, h("label", { for: viabilityId }, t("pil.viability")), h("p", { class: "hint", id: `${viabilityId}-h` }, t("pil.viabilityHint")), viabilityInput),
      ),
      h("div", { class: "row" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "pil-run" }, t("pil.run"))),
      status,
    ),
    results,
  );
  if (saved.trim()) run();
}

export { lang };
