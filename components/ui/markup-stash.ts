/**
 * Where a list's server markup waits between the two renders of one HTML
 * request: the server component (React Server Components) puts it here and
 * ships only its key; the client component, rendered to HTML in the same
 * process right after, takes it. So the rows are in the HTML once and not
 * again in the RSC payload. The two renders use different module instances,
 * hence one map on globalThis. A key is random, so no request reads another's.
 */
interface Stashed {
  html: string;
  expires: number;
}

/** Long enough for the HTML render of the same request; a render that never came is dropped then. */
const UNCLAIMED_MS = 15_000;
/** A taken entry stays a moment, in case React renders the component again (a retried boundary). */
const CLAIMED_MS = 1_000;

const STASH_KEY = Symbol.for("orgs-console.markup-stash");
const globals = globalThis as typeof globalThis & { [STASH_KEY]?: Map<string, Stashed> };

function stash(): Map<string, Stashed> {
  return (globals[STASH_KEY] ??= new Map());
}

function sweep(entries: Map<string, Stashed>, now: number) {
  // Insertion order is roughly expiry order: stop at the first live entry.
  for (const [key, entry] of entries) {
    if (entry.expires > now) break;
    entries.delete(key);
  }
}

/** On the server, for the HTML render of this request: the key the client component takes the markup back with. */
export function stashMarkup(html: string): string {
  const entries = stash();
  const now = Date.now();
  sweep(entries, now);
  const key = crypto.randomUUID();
  entries.set(key, { html, expires: now + UNCLAIMED_MS });
  return key;
}

/** On the server, in the HTML render: the markup stashed under `key` (undefined once expired). */
export function takeStashedMarkup(key: string): string | undefined {
  const entry = stash().get(key);
  if (!entry) return undefined;
  entry.expires = Math.min(entry.expires, Date.now() + CLAIMED_MS);
  return entry.html;
}
