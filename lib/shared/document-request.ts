/**
 * Set by proxy.ts on every request: "1" when a browser asks for an HTML page, "0"
 * otherwise (an RSC payload for a client navigation, a refresh or a server action;
 * any other client). List rows shipped as markup go only into the HTML of a page
 * (components/ui/server-markup.tsx); anything else gets them in the payload.
 */
export const DOCUMENT_REQUEST_HEADER = "x-console-document";
