// Step 1: who the person is: jobs, skills (pre-ticked from the jobs), interests, likes,
// constraints, and the profile file.
import { gql, profileInputFields } from "../api";
import { h, uid } from "../dom";
import { lang, t } from "../i18n";
import { emptyProfile, exportProfile, label, parseProfile, validCommune, type HeldSkill, type Named } from "../profile";
import { go, prefetchSuggestions, save, state } from "../state";
import { autocomplete, errorBox, namedList } from "../widgets";

const KINDS = ["HARD", "KNOWLEDGE", "SOFT", "OTHER"];
const SHOWN = 8; // per kind before "show all": a cook has ~60 skills

const OCC_SKILLS = `query OccSkills($id: ID!) {
  occupation(id: $id) { skills { relevance skill { id kind fr: label(lang: FR) en: label(lang: EN) } } }
}`;

let interestsCache: { id: string; code: string; fr: string; en: string; fr_d: string | null; en_d: string | null }[] | null = null;

async function interests() {
  if (!interestsCache) {
    const d = await gql(`{ interests(first: 50) { edges { node { id code fr: label(lang: FR) en: label(lang: EN)
      fr_d: description(lang: FR) en_d: description(lang: EN) } } } }`);
    interestsCache = d.interests.edges.map((e: any) => e.node);
    const order = "RIASEC";
    interestsCache!.sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code));
  }
  return interestsCache!;
}

const occSkills = new Map<string, any[]>();

/** The profile's skills again from its jobs (pre-ticked, essential wherever one job says
 * so), keeping what the counsellor unticked and added: removing a job removes its skills. */
async function syncSkills(): Promise<void> {
  const p = state.profile;
  const jobs = [...p.current, ...p.past];
  for (const occ of jobs) {
    if (!occSkills.has(occ.id)) {
      const d = await gql(OCC_SKILLS, { id: occ.id });
      occSkills.set(occ.id, d.occupation?.skills ?? []);
    }
  }
  const before = new Map(p.skills.map((s) => [s.id, s]));
  const next = new Map<string, HeldSkill>();
  for (const occ of jobs) {
    for (const r of occSkills.get(occ.id) ?? []) {
      const essential = r.relevance === "ESSENTIAL";
      const have = next.get(r.skill.id);
      if (have) {
        have.essential ||= essential;
        continue;
      }
      const old = before.get(r.skill.id);
      next.set(r.skill.id, { id: r.skill.id, fr: r.skill.fr, en: r.skill.en, kind: r.skill.kind, essential, checked: old ? old.checked : true, added: false });
    }
  }
  for (const s of p.skills) if (s.added && !next.has(s.id)) next.set(s.id, s);
  p.skills = [...next.values()];
}

function skillsBlock(onChange: () => void): HTMLElement {
  const wrap = h("div", { class: "skills-groups" });
  const open = new Set<string>();
  const draw = () => {
    const groups = KINDS.map((kind) => {
      const list = state.profile.skills
        .filter((s) => (s.kind && KINDS.includes(s.kind) ? s.kind : "OTHER") === kind)
        .sort((a, b) => Number(b.essential) - Number(a.essential) || label(a).localeCompare(label(b), lang()));
      if (!list.length) return null;
      const shown = open.has(kind) ? list : list.slice(0, SHOWN);
      const checked = list.filter((s) => s.checked).length;
      const legendId = uid("kind");
      return h(
        "fieldset",
        { class: "skill-kind", "data-kind": kind },
        h("legend", { id: legendId }, t(`profile.kind.${kind}`), " ", h("span", { class: "muted small" }, t("profile.checkedCount", { n: checked, total: list.length }))),
        h(
          "ul",
          { class: "checks" },
          shown.map((s) => {
            const id = uid("sk");
            return h(
              "li",
              null,
              h("input", {
                type: "checkbox",
                id,
                checked: s.checked,
                onchange: (e: Event) => {
                  s.checked = (e.target as HTMLInputElement).checked;
                  onChange();
                  draw();
                  (document.getElementById(id) as HTMLElement | null)?.focus();
                },
              }),
              h("label", { for: id }, label(s), s.essential ? h("span", { class: "tag tag-ess" }, t("profile.essential")) : null),
            );
          }),
        ),
        list.length > SHOWN
          ? h(
              "button",
              {
                type: "button",
                class: "link",
                "aria-expanded": open.has(kind) ? "true" : "false",
                onclick: () => {
                  if (open.has(kind)) open.delete(kind);
                  else open.add(kind);
                  draw();
                },
              },
              open.has(kind) ? t("profile.showLess") : t("profile.showAll", { n: list.length - SHOWN }),
            )
          : null,
      );
    });
    wrap.replaceChildren(...(groups.filter(Boolean) as HTMLElement[]));
    if (!state.profile.skills.length) wrap.append(h("p", { class: "muted" }, t("profile.none")));
  };
  draw();
  return h(
    "div",
    null,
    wrap,
    autocomplete({
      label: t("profile.addSkill"),
      kinds: ["SKILL"],
      testid: "add-skill",
      onPick: (hit) => {
        const old = state.profile.skills.find((s) => s.id === hit.id);
        if (old) old.checked = true;
        else state.profile.skills.push({ id: hit.id, fr: hit.fr, en: hit.en, kind: hit.kind, essential: false, checked: true, added: true });
        onChange();
        draw();
      },
    }),
  );
}

function interestsBlock(onChange: () => void): HTMLElement {
  const box = h("div", { class: "interests" }, h("p", { class: "muted" }, t("loading")));
  interests()
    .then((list) => {
      box.replaceChildren(
        ...list.map((it) => {
          const name = uid("int");
          const lbl = lang() === "fr" ? it.fr : it.en;
          const desc = lang() === "fr" ? it.fr_d || it.en_d : it.en_d || it.fr_d;
          return h(
            "fieldset",
            { class: "interest", "data-code": it.code },
            h("legend", null, h("strong", null, lbl), " ", h("span", { class: "muted small" }, `(${it.code})`)),
            desc ? h("p", { class: "muted small desc" }, desc.length > 160 ? `${desc.slice(0, 157)}…` : desc) : null,
            h(
              "div",
              { class: "seg" },
              [0, 1, 2].map((v) => {
                const id = `${name}-${v}`;
                return h(
                  "span",
                  null,
                  h("input", {
                    type: "radio",
                    name,
                    id,
                    value: String(v),
                    checked: (state.profile.interests[it.id] ?? 0) === v,
                    onchange: () => {
                      state.profile.interests[it.id] = v;
                      onChange();
                    },
                  }),
                  h("label", { for: id }, t(`profile.interest.${v}`)),
                );
              }),
            ),
          );
        }),
      );
    })
    .catch((e) => box.replaceChildren(errorBox(e)));
  return box;
}

function section(title: string, ...body: (Node | null)[]): HTMLElement {
  const id = uid("sec");
  return h("section", { class: "card", "aria-labelledby": id }, h("h3", { id }, title), ...body);
}

export function profileView(root: HTMLElement): void {
  const p = state.profile;
  const changed = () => {
    save();
    prefetchSuggestions();
  };
  const status = h("p", { role: "status", class: "muted", "aria-live": "polite" });
  let skillsBox: HTMLElement;
  const redrawSkills = () => {
    const fresh = skillsBlock(changed);
    skillsBox.replaceWith(fresh);
    skillsBox = fresh;
  };
  skillsBox = skillsBlock(changed);

  const jobList = (title: string, items: Named[], testid: string) =>
    namedList({
      title,
      items,
      kinds: ["OCCUPATION"],
      searchLabel: t("profile.searchJob"),
      hint: t("profile.searchHint"),
      testid,
      onChange: async () => {
        changed();
        status.textContent = t("loading");
        try {
          await syncSkills();
          changed();
          status.textContent = "";
        } catch (e) {
          status.replaceChildren(errorBox(e));
        }
        redrawSkills();
      },
    });

  const communeId = uid("commune");
  const communeNote = h("p", { class: "hint", id: `${communeId}-h` }, t("profile.communeHint"));
  const communeStatus = h("p", { class: "hint warn", role: "status", "aria-live": "polite" });
  const communeArea = h("p", { class: "hint", role: "status", "aria-live": "polite", "data-testid": "commune-area" });
  let communeSeq = 0;
  const checkCommune = () => {
    const code = p.commune.trim().toUpperCase();
    communeStatus.textContent = code && !validCommune(code) ? t("profile.communeBad") : "";
    communeArea.textContent = "";
    if (!validCommune(code)) return;
    // which employment area the code is in, and whether moves were observed there from
    // the seeker's job: what the commune will change in the options
    const mine = ++communeSeq;
    communeArea.textContent = t("profile.communeChecking");
    const job = p.current[0] ?? p.past[0];
    (async () => {
      const d: any = await gql(`query Area($c: String!) { employmentArea(commune: $c) }`, { c: code });
      const area: string | null = d.employmentArea;
      if (mine !== communeSeq) return;
      if (!area) {
        communeArea.textContent = t("profile.communeUnknown");
        return;
      }
      let text = t("profile.communeArea", { area });
      if (job) {
        const m: any = await gql(`query Moves($id: ID!, $a: String!) { occupation(id: $id) { observedMobilities(area: $a, first: 50) { area } } }`, { id: job.id, a: area });
        const n = m.occupation?.observedMobilities.length ?? 0;
        text += ` ${t(n ? "profile.communeMoves" : "profile.communeNoMoves", { n: n >= 50 ? "50+" : n, job: label(job) })}`;
      }
      if (mine === communeSeq) communeArea.textContent = text;
    })().catch((e) => {
      if (mine === communeSeq) communeArea.replaceChildren(errorBox(e));
    });
  };
  checkCommune();
  profileInputFields().then((f) => {
    if (!f.has("commune")) communeNote.textContent = `${t("profile.communeHint")} ${t("profile.communeUnused")}`;
  });
  const hoursId = uid("hours");
  const eduId = uid("edu");
  const longId = uid("long");
  const fileId = uid("file");
  const fileInput = h("input", {
    type: "file",
    id: fileId,
    accept: "application/json,.json",
    class: "visually-hidden",
    onchange: async (e: Event) => {
      const f = (e.target as HTMLInputElement).files?.[0];
      if (!f) return;
      try {
        const parsed = parseProfile(JSON.parse(await f.text()));
        if (!parsed) throw new Error("bad");
        state.profile = parsed;
        save();
        render(root);
        (document.getElementById("file-status") as HTMLElement).textContent = t("profile.imported");
      } catch {
        (document.getElementById("file-status") as HTMLElement).textContent = t("profile.badFile");
      }
    },
  });

  root.replaceChildren(
    h(
      "div",
      { class: "view-head" },
      h("h2", null, t("profile.title")),
      h("p", { class: "lead" }, t("profile.intro")),
    ),
    h(
      "div",
      { class: "grid2" },
      section(t("profile.jobs"), jobList(t("profile.current"), p.current, "current-jobs"), jobList(t("profile.past"), p.past, "past-jobs"), status),
      section(t("profile.interests"), h("p", { class: "muted" }, t("profile.interestsIntro")), interestsBlock(changed)),
    ),
    section(t("profile.skills"), h("p", { class: "muted" }, t("profile.skillsIntro")), skillsBox),
    h(
      "div",
      { class: "grid2" },
      section(
        t("profile.likes"),
        namedList({ title: t("profile.likedJobs"), items: p.likedJobs, kinds: ["OCCUPATION"], searchLabel: t("profile.searchJob"), onChange: changed, testid: "liked-jobs" }),
        namedList({ title: t("profile.dislikedJobs"), items: p.dislikedJobs, kinds: ["OCCUPATION"], searchLabel: t("profile.searchJob"), onChange: changed }),
        namedList({ title: t("profile.likedFields"), items: p.likedFields, kinds: ["OCCUPATION_GROUP"], searchLabel: t("profile.searchField"), onChange: changed, browse: true, testid: "liked-fields" }),
        namedList({ title: t("profile.dislikedFields"), items: p.dislikedFields, kinds: ["OCCUPATION_GROUP"], searchLabel: t("profile.searchField"), onChange: changed, browse: true }),
        namedList({ title: t("profile.likedSkills"), items: p.likedSkills, kinds: ["SKILL"], searchLabel: t("profile.searchSkill"), onChange: changed }),
        namedList({ title: t("profile.dislikedSkills"), items: p.dislikedSkills, kinds: ["SKILL"], searchLabel: t("profile.searchSkill"), onChange: changed }),
      ),
      section(
        t("profile.constraints"),
        h(
          "div",
          { class: "field" },
          h("label", { for: hoursId }, t("profile.maxHours")),
          h("p", { class: "hint", id: `${hoursId}-h` }, t("profile.maxHoursHint")),
          h("input", {
            id: hoursId,
            type: "number",
            min: "0",
            step: "10",
            inputmode: "numeric",
            "aria-describedby": `${hoursId}-h`,
            value: p.maxHours ?? "",
            "data-testid": "max-hours",
            onchange: (e: Event) => {
              const v = Number((e.target as HTMLInputElement).value);
              p.maxHours = v > 0 ? v : null;
              changed();
            },
          }),
        ),
        h(
          "div",
          { class: "field" },
          h("label", { for: eduId }, t("profile.education")),
          h("p", { class: "hint", id: `${eduId}-h` }, t("profile.educationHint")),
          h(
            "select",
            {
              id: eduId,
              "aria-describedby": `${eduId}-h`,
              "data-testid": "education",
              onchange: (e: Event) => {
                const v = Number((e.target as HTMLSelectElement).value);
                p.education = v >= 2 && v <= 8 ? v : null;
                changed();
              },
            },
            h("option", { value: "", selected: p.education == null }, t("profile.educationUnknown")),
            [2, 3, 4, 5, 6, 7, 8].map((v) => h("option", { value: String(v), selected: p.education === v }, t(`level.${v}`))),
          ),
        ),
        h(
          "div",
          { class: "field check" },
          h("input", { id: longId, type: "checkbox", checked: p.longTraining, "data-testid": "long-training", onchange: (e: Event) => { p.longTraining = (e.target as HTMLInputElement).checked; changed(); } }),
          h("label", { for: longId }, t("profile.longTraining")),
        ),
        namedList({ title: t("profile.avoidFields"), items: p.avoidFields, kinds: ["OCCUPATION_GROUP"], searchLabel: t("profile.searchField"), onChange: changed, browse: true }),
        h(
          "div",
          { class: "field" },
          h("label", { for: communeId }, t("profile.commune")),
          communeNote,
          h("input", {
            id: communeId,
            type: "text",
            autocomplete: "off",
            value: p.commune,
            "data-testid": "commune",
            "aria-describedby": `${communeId}-h`,
            inputmode: "text",
            maxlength: "5",
            onchange: (e: Event) => {
              p.commune = (e.target as HTMLInputElement).value;
              checkCommune();
              changed();
            },
          }),
          communeStatus,
          communeArea,
        ),
        h("h3", null, t("profile.data")),
        h(
          "div",
          { class: "row" },
          h("button", { type: "button", class: "btn", "data-testid": "export", onclick: () => exportProfile(state.profile) }, t("profile.export")),
          fileInput,
          h("label", { for: fileId, class: "btn", tabindex: "0", role: "button", "data-testid": "import",
            onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); fileInput.click(); } } }, t("profile.import")),
          h(
            "button",
            {
              type: "button",
              class: "btn btn-ghost",
              onclick: () => {
                if (!confirm(t("profile.clearConfirm"))) return;
                state.profile = emptyProfile();
                save();
                render(root);
              },
            },
            t("profile.clear"),
          ),
        ),
        h("p", { id: "file-status", role: "status", class: "muted" }),
      ),
    ),
    h("div", { class: "actions" }, h("button", { type: "button", class: "btn btn-primary", "data-testid": "to-suggestions", onclick: () => go("suggestions") }, t("profile.next"), " →")),
  );
}

function render(root: HTMLElement): void {
  profileView(root);
}
