/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF; comma, semicolon or tab detected). */
import { ImportFileError } from './errors.js';

/**
 * The largest table a spreadsheet can hold (Excel: 16,384 columns, 32,767 characters a cell). A
 * file beyond them is no roster or survey table: a 45 MB one-line "CSV" took 24 s and 1.3 GB to
 * read into one cell, a header of a million columns answered with a million column names.
 * `maxChars`: all cells together, as much text as the largest CSV upload (50 MB) can hold.
 */
export const TABLE_LIMITS = { maxColumns: 16_384, maxCell: 32_767, maxChars: 50_000_000 };

export function tableTooWide(columns: number): ImportFileError {
  return new ImportFileError(`表格有 ${columns} 列，超过 ${TABLE_LIMITS.maxColumns} 列的上限`, `the table has ${columns} columns, over the limit of ${TABLE_LIMITS.maxColumns}`, 'too_large');
}

export function cellTooLong(row: number, column: number): ImportFileError {
  return new ImportFileError(`第 ${row} 行第 ${column} 列超过 ${TABLE_LIMITS.maxCell} 个字符的单元格上限`,
    `row ${row}, column ${column} is over the cell limit of ${TABLE_LIMITS.maxCell} characters`, 'too_large');
}

export function detectDelimiter(firstLine: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 1 ? counts[0][0] : ',';
}

export function parseCsv(text: string): string[][] {
  const delimiter = detectDelimiter(text.slice(0, Math.min(text.search(/\r?\n|$/), 1 << 20)));
  const rows: string[][] = [];
  let row: string[] = [];
  // Fields are cut out of the text in runs (slice), not built a character at a time.
  let field = '';
  let quoted = false;
  const push = () => {
    if (field.length > TABLE_LIMITS.maxCell) throw cellTooLong(rows.length + 1, row.length + 1);
    row.push(field);
    if (row.length > TABLE_LIMITS.maxColumns) throw tableTooWide(row.length);
    field = '';
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (quoted) {
      const q = text.indexOf('"', i);
      const end = q === -1 ? n : q;
      field += text.slice(i, end);
      if (field.length > TABLE_LIMITS.maxCell) throw cellTooLong(rows.length + 1, row.length + 1);
      i = end;
      if (q === -1) break;
      if (text[q + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
      }
      continue;
    }
    const ch = text[i];
    if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === delimiter) {
      push();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      push();
      rows.push(row);
      row = [];
    } else {
      let j = i + 1;
      while (j < n && text[j] !== delimiter && text[j] !== '\n' && text[j] !== '\r') j++;
      field += text.slice(i, j);
      if (field.length > TABLE_LIMITS.maxCell) throw cellTooLong(rows.length + 1, row.length + 1);
      i = j - 1;
    }
  }
  if (field !== '' || row.length > 0) {
    push();
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}
