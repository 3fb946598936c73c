/**
 * A CSV reader (RFC 4180: commas, quoted fields with "" escapes and line breaks, CRLF or LF). Pure,
 * and shared with the web app's preview. Each record carries the line it starts on, so that a
 * rejected row can be named by its line.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

/**
 * The records of `text`; empty lines are skipped. A quote out of place throws `CsvSyntaxError`,
 * unless `lenient` (a preview: the quote is read as it stands, and an unclosed one runs to the end).
 */
export function parseCsv(text: string, { lenient = false }: { lenient?: boolean } = {}): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteOpenedAt = 0;
  let atFieldStart = true;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          const next = input[i + 1];
          if (!lenient && next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new CsvSyntaxError(line, 'A closing quote must end its field.');
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      quoteOpenedAt = line;
      atFieldStart = false;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      atFieldStart = true;
      line++;
      recordLine = line;
    } else {
      field += c;
      atFieldStart = false;
    }
  }
  if (quoted && !lenient) throw new CsvSyntaxError(quoteOpenedAt, 'A quoted field is not closed.');
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

/** A first row naming the columns ("external id, first name, …") is not a patient. */
export function isHeaderRow(fields: readonly string[]): boolean {
  const norm = (v: string | undefined) => (v ?? '').trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  return ['external id', 'externalid', 'id'].includes(norm(fields[0])) && ['first name', 'firstname', 'first'].includes(norm(fields[1]));
}
