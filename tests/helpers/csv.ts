/**
 * Every chunk an async generator yields (the CSV export's UTF-8 bytes), as text. A
 * chunk may end inside a character (COPY's chunks are the socket's), so the decoder
 * carries the rest over to the next chunk.
 */
export async function collectChunks(chunks: AsyncIterable<Uint8Array | string>): Promise<string[]> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const all: string[] = [];
  for await (const chunk of chunks) all.push(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
  const rest = decoder.decode();
  if (rest) all.push(rest);
  return all;
}

/** RFC 4180 CSV: records end with CRLF; quoted fields may hold commas, newlines and "" for a quote. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') {
      if (field !== "") throw new Error(`parseCsv: a quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else if (char === "\n" || char === "\r") {
      throw new Error(`parseCsv: a bare line break outside quotes at ${i}`);
    } else field += char;
  }
  if (quoted) throw new Error("parseCsv: unterminated quoted field");
  if (field !== "" || record.length) throw new Error("parseCsv: the last record does not end with CRLF");
  return records;
}
