/** Saves text the app made (CSV exports, reports) as a file through the browser's download. */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Pages through an export channel until it says done, joining the CSV pages. */
export async function collectCsvPages(
  page: (
    offset: number,
  ) => Promise<{ ok: true; value: { csv: string; rows: number; done: boolean } } | { ok: false }>,
): Promise<string | null> {
  const parts: string[] = [];
  let offset = 0;
  for (;;) {
    const result = await page(offset);
    if (!result.ok) return null;
    parts.push(result.value.csv);
    offset += result.value.rows;
    if (result.value.done) return parts.join('');
  }
}
