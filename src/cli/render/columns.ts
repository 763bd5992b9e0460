/** Text layout for terminals: widths that ignore colour codes, padded columns, cut lines. */

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

/** Rows as columns padded to their widest cell (colour codes not counted), two spaces apart, no trailing blanks. */
export function formatColumns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows.map((row) => {
    // Cells past the last visible one are left out, so no line ends in blanks (or bare colour codes).
    let end = row.length;
    while (end > 0 && visibleLength(row[end - 1]) === 0) end--;
    const shown = row.slice(0, end);
    return shown.map((cell, i) => (i === shown.length - 1 ? cell : cell + ' '.repeat(widths[i] - visibleLength(cell)))).join('  ');
  });
}

/** The line cut to `width` visible characters, so it never wraps (a wrapped line breaks a redrawn region). */
export function truncateVisible(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  let out = '';
  let shown = 0;
  let coloured = false;
  for (const part of text.split(/(\x1b\[[0-9;?]*[A-Za-z])/)) {
    if (part.startsWith('\x1b[')) {
      out += part;
      coloured = true;
      continue;
    }
    for (const char of part) {
      if (shown === width - 1) return `${out}…${coloured ? '\x1b[0m' : ''}`;
      out += char;
      shown++;
    }
  }
  return out;
}
