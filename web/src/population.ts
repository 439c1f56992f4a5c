// A population for the Pilotage view: a CSV file or a pasted table of occupations with head
// counts, read line by line with errors that name the line.

export interface Group {
  occupation: string;
  count: number;
}

export interface Parsed {
  groups: Group[];
  errors: { line: number; key: string; text: string }[];
}

/** An occupation as written in a table: an id (rome:G1602, an ESCO URI) or a bare ROME code. */
export function occupationId(raw: string): string | null {
  const v = raw.trim().replace(/^"|"$/g, "").trim();
  if (/^[A-N]\d{4}$/i.test(v)) return `rome:${v.toUpperCase()}`;
  if (/^rome:[A-N]\d{4}$/i.test(v)) return `rome:${v.slice(5).toUpperCase()}`;
  if (/^https?:\/\/\S+$/.test(v) || /^[a-z][\w-]*:\S+$/i.test(v)) return v;
  return null;
}

/** Lines `occupation,count` (comma, semicolon or tab); a first line that is a header is
 * skipped; blank lines and lines starting with # are ignored; an occupation given twice
 * has its counts added. */
export function parsePopulation(text: string): Parsed {
  const out = new Map<string, number>();
  const errors: Parsed["errors"] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const cells = line.split(/[;,\t]/).map((c) => c.trim());
    if (cells.length < 2) {
      errors.push({ line: i + 1, key: "pil.err.cells", text: line });
      return;
    }
    const id = occupationId(cells[0]);
    const count = Number(cells[1].replace(/\s/g, "").replace(/^"|"$/g, ""));
    if (!id) {
      // a header line (occupation,count) is not an error
      if (i === lines.findIndex((l) => l.trim()) && !/\d/.test(cells[1])) return;
      errors.push({ line: i + 1, key: "pil.err.occupation", text: cells[0] });
      return;
    }
    if (!Number.isInteger(count) || count < 1) {
      errors.push({ line: i + 1, key: "pil.err.count", text: cells[1] });
      return;
    }
    out.set(id, (out.get(id) ?? 0) + count);
  });
  return { groups: [...out].map(([occupation, count]) => ({ occupation, count })), errors };
}

/** Rows as CSV text (RFC 4180 quoting), with a header line. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const s = v == null ? "" : String(v);
    return /[",;\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}
