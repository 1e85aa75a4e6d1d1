import "server-only";

import { headers } from "next/headers";

import { DOCUMENT_REQUEST_HEADER } from "@/lib/shared/document-request";
import type { Html } from "@/lib/shared/html";

import { Markup, type MarkupProps } from "./markup";
import { stashMarkup } from "./markup-stash";

/**
 * A list's rows as one piece of server markup (lib/shared/html.ts), shipped once.
 * React Server Components would otherwise send every row twice, as HTML and again
 * as React elements in the page's payload, and render it twice. In a document the
 * markup goes only into the HTML (stashed for the HTML render of this request);
 * in an RSC payload (a client navigation, a refresh) it is the payload.
 * Interactive parts of the rows are plain elements that a client component
 * around the list handles through delegated events.
 */
export async function ServerMarkup({ html, ...attributes }: Omit<MarkupProps, "html" | "stash"> & { html: Html }) {
  const documentRequest = (await headers()).get(DOCUMENT_REQUEST_HEADER) === "1";
  return documentRequest ? <Markup {...attributes} stash={stashMarkup(html.value)} /> : <Markup {...attributes} html={html.value} />;
}
