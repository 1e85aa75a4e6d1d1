import "server-only";

import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from "pdf-lib";

import type { InvoiceDocument } from "./invoice-document";

/*
 * An invoice as a PDF, drawn with pdf-lib's standard Helvetica (nothing to embed,
 * nothing read from disk). Standard fonts only know the WinAnsi character set:
 * "–", "€", "•" and "×" are in it, but "−" (the minus sign amounts are written
 * with), arrows and most non-Latin letters are not, and pdf-lib throws on them.
 * `pdfSafeText` maps each character the font cannot draw to its nearest
 * equivalent before anything is drawn.
 */

/** Characters WinAnsi lacks, with what an invoice reader expects instead. */
const REPLACEMENTS: Record<string, string> = {
  "\u2212": "-", // minus sign
  "\u2010": "-", // hyphen
  "\u2011": "-", // non-breaking hyphen
  "\u2012": "-", // figure dash
  "\u2015": "\u2014", // horizontal bar
  "\u2192": "->",
  "\u2190": "<-",
  "\u2264": "<=",
  "\u2265": ">=",
  "\u2260": "!=",
  "\u2032": "'",
  "\u2033": '"',
  "\u00a0": " ",
  "\u2007": " ",
  "\u2009": " ",
  "\u202f": " ",
  "\u200b": "",
  "\u2713": "v",
  "\u00ad": "",
  // Letters without a decomposition into a WinAnsi letter and an accent.
  "\u0141": "L",
  "\u0142": "l",
  "\u0110": "D",
  "\u0111": "d",
  "\u0126": "H",
  "\u0127": "h",
  "\u0131": "i",
};

/** `text` with every character `font` cannot encode replaced (its mapping, its letter without accents, or "?"). */
export function pdfSafeText(text: string, supported: ReadonlySet<number>): string {
  let out = "";
  for (const char of text.replace(/[\r\n\t]+/g, " ")) {
    const code = char.codePointAt(0)!;
    if (supported.has(code)) {
      out += char;
      continue;
    }
    const replacement = REPLACEMENTS[char];
    if (replacement !== undefined) {
      out += replacement;
      continue;
    }
    // "ő" → "o", "ł" has no decomposition → "?".
    const base = char
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .split("")
      .filter((c) => supported.has(c.codePointAt(0)!))
      .join("");
    out += base || "?";
  }
  return out;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const INK = rgb(0.09, 0.09, 0.11);
const MUTED = rgb(0.4, 0.4, 0.44);
const RULE = rgb(0.82, 0.82, 0.85);

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  supported: ReadonlySet<number>;
}

/** Splits `text` into lines no wider than `width` (a word longer than a line is cut). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** Draws from the top down, adding a page when the next block would not fit. */
class Cursor {
  page: PDFPage;
  y: number;
  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
    private readonly footer: string,
  ) {
    this.page = this.addPage();
    this.y = A4.height - MARGIN;
  }

  private addPage(): PDFPage {
    const page = this.doc.addPage([A4.width, A4.height]);
    const text = pdfSafeText(this.footer, this.fonts.supported);
    page.drawText(text, { x: MARGIN, y: MARGIN / 2, size: 8, font: this.fonts.regular, color: MUTED });
    return page;
  }

  /** Makes room for `height` points, on a new page if needed; returns whether a page was added. */
  need(height: number): boolean {
    if (this.y - height >= MARGIN) return false;
    this.page = this.addPage();
    this.y = A4.height - MARGIN;
    return true;
  }

  text(
    value: string,
    options: { x: number; size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; align?: "right" } = { x: MARGIN },
  ) {
    const size = options.size ?? 10;
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const safe = pdfSafeText(value, this.fonts.supported);
    const x = options.align === "right" ? options.x - font.widthOfTextAtSize(safe, size) : options.x;
    this.page.drawText(safe, { x, y: this.y - size, size, font, color: options.color ?? INK });
  }

  /** Wrapped text at `x`, at most `width` wide; moves the cursor down past it. */
  paragraph(value: string, x: number, width: number, options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb> } = {}) {
    const size = options.size ?? 10;
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    for (const line of wrap(pdfSafeText(value, this.fonts.supported), font, size, width)) {
      this.need(size * 1.4);
      this.text(line, { x, size, bold: options.bold, color: options.color });
      this.y -= size * 1.4;
    }
  }

  rule() {
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: A4.width - MARGIN, y: this.y }, thickness: 0.75, color: RULE });
  }
}

/** The invoice as PDF bytes, A4, paginated when its lines run long. */
export async function renderInvoicePdf(doc: InvoiceDocument, options: { currency: string; issuedAt: Date }): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const fonts: Fonts = { regular, bold, supported: new Set(regular.getCharacterSet()) };
  pdf.setTitle(pdfSafeText(`Invoice ${doc.number}`, fonts.supported));
  pdf.setAuthor(doc.seller.name);
  pdf.setCreator(doc.seller.name);
  pdf.setProducer(doc.seller.name);
  pdf.setCreationDate(options.issuedAt);
  pdf.setModificationDate(options.issuedAt);

  const right = A4.width - MARGIN;
  const c = new Cursor(pdf, fonts, `${doc.seller.name} · ${doc.seller.lines.join(", ")} · Invoice ${doc.number}`);

  // Title and seller.
  c.text(`Invoice ${doc.number}`, { x: MARGIN, size: 20, bold: true });
  c.text(doc.seller.name, { x: right, size: 10, bold: true, align: "right" });
  c.y -= 14;
  doc.seller.lines.forEach((line) => {
    c.text(line, { x: right, size: 9, color: MUTED, align: "right" });
    c.y -= 12;
  });
  c.y -= 4;
  c.text(`${doc.kind} · ${doc.statusDetail ?? doc.statusLabel}`, { x: MARGIN, size: 9, color: MUTED });
  c.y -= 30;

  // Bill to, issue date, period.
  const top = c.y;
  c.text("BILL TO", { x: MARGIN, size: 8, bold: true, color: MUTED });
  c.y -= 13;
  c.paragraph(doc.billTo.name, MARGIN, 220, { bold: true });
  for (const line of [...doc.billTo.lines, doc.billTo.email, ...(doc.billTo.taxId ? [`Tax ID ${doc.billTo.taxId}`] : [])]) {
    c.paragraph(line, MARGIN, 220);
  }
  const afterBillTo = c.y;
  c.y = top;
  for (const [label, value] of [
    ["ISSUED", doc.issued],
    ["PERIOD", doc.period],
  ] as const) {
    c.text(label, { x: 320, size: 8, bold: true, color: MUTED });
    c.y -= 13;
    c.text(value, { x: 320 });
    c.y -= 22;
  }
  c.y = Math.min(afterBillTo, c.y) - 20;

  // Lines.
  const cols = { description: MARGIN, qty: 360, unit: 440, amount: right };
  const tableHeader = () => {
    c.text("DESCRIPTION", { x: cols.description, size: 8, bold: true, color: MUTED });
    c.text("QTY", { x: cols.qty, size: 8, bold: true, color: MUTED, align: "right" });
    c.text("UNIT PRICE", { x: cols.unit, size: 8, bold: true, color: MUTED, align: "right" });
    c.text("AMOUNT", { x: cols.amount, size: 8, bold: true, color: MUTED, align: "right" });
    c.y -= 14;
    c.rule();
    c.y -= 6;
  };
  tableHeader();
  for (const line of doc.lines) {
    const described = wrap(pdfSafeText(line.description, fonts.supported), regular, 10, cols.qty - cols.description - 40);
    if (c.need(described.length * 14 + 8)) tableHeader();
    c.text(line.quantity, { x: cols.qty, align: "right" });
    c.text(line.unit, { x: cols.unit, align: "right" });
    c.text(line.amount, { x: cols.amount, align: "right" });
    for (const part of described) {
      c.text(part, { x: cols.description });
      c.y -= 14;
    }
    c.y -= 4;
    c.rule();
    c.y -= 6;
  }

  // Totals.
  c.need(80);
  c.y -= 6;
  for (const [label, value] of [
    ["Subtotal", doc.subtotal],
    [doc.taxLabel, doc.tax],
  ] as const) {
    c.text(label, { x: 360, color: MUTED });
    c.text(value, { x: right, align: "right" });
    c.y -= 16;
  }
  c.y -= 2;
  c.page.drawLine({ start: { x: 360, y: c.y }, end: { x: right, y: c.y }, thickness: 0.75, color: RULE });
  c.y -= 8;
  c.text("Total", { x: 360, size: 12, bold: true });
  c.text(doc.total, { x: right, size: 12, bold: true, align: "right" });
  c.y -= 30;

  if (doc.reverseChargeNote) c.paragraph(doc.reverseChargeNote, MARGIN, right - MARGIN, { size: 9, color: MUTED });
  c.paragraph(`Amounts in ${options.currency.toUpperCase()}.`, MARGIN, right - MARGIN, { size: 9, color: MUTED });

  return pdf.save();
}
