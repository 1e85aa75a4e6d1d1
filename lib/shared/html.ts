/**
 * HTML as strings, for list rows rendered once on the server and shipped once
 * (components/ui/server-markup.tsx): a row as React elements costs a render in
 * both the HTML and the RSC payload, a row as a string costs neither. Every
 * interpolated value is escaped unless it is already `Html` (another template's
 * output), so a name such as `<b>` or `"` shows as text.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = Html | string | number | null | undefined | false | readonly Interpolation[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

function render(value: Interpolation): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

/** `markup\`<p title="${title}">${name}</p>\``: the template's own markup as written, the values escaped. */
export function markup(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}
