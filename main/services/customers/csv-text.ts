/**
 * Writing CSV cells: RFC 4180 quoting, and a leading apostrophe on anything a spreadsheet would
 * run as a formula (= + - @), so an exported customer name can never execute in Excel.
 */
export type CsvCell = string | number | null | undefined;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsvRow(cells: CsvCell[]): string {
  return cells.map(csvCell).join(',');
}
