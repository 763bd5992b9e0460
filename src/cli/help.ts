import type { Command, Help, HelpConfiguration } from 'commander';

/** Past this width a paragraph is hard to read, however wide the terminal. */
const MAX_HELP_WIDTH = 100;
/** Narrower than this, text is left as written (as commander does): wrapping would only shred it. */
const MIN_WRAP_WIDTH = 40;

/**
 * Help is wrapped once, here. Descriptions are written as paragraphs (source lines broken
 * anywhere), `- ` list items (continued on lines indented by two) and indented blocks (example
 * commands, tables). Paragraphs and items are joined and wrapped to `width`; an indented block
 * is kept exactly as written, however narrow the terminal, so an example copies and pastes whole.
 */
export function reflowHelp(text: string, width: number): string {
  if (width < MIN_WRAP_WIDTH) return text;
  const out: string[] = [];
  let block: { item: boolean; words: string[] } | undefined;
  const flush = () => {
    if (block) out.push(...wrapWords(block.words, width, block.item));
    block = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    const words = line.trim().split(/\s+/);
    if (line.trim() === '') {
      flush();
      out.push('');
    } else if (/^[-*] /.test(line)) {
      flush();
      block = { item: true, words: words.slice(1) };
    } else if (/^\s/.test(line)) {
      if (block?.item && /^ {2}\S/.test(line)) block.words.push(...words);
      else {
        flush();
        out.push(line.trimEnd());
      }
    } else if (block && !block.item) {
      block.words.push(...words);
    } else {
      flush();
      block = { item: false, words };
    }
  }
  flush();
  return out.join('\n');
}

/** Words as lines of at most `width` (a longer word stands alone); an item starts with `- ` and hangs by two. */
function wrapWords(words: string[], width: number, item: boolean): string[] {
  const lines: string[] = [];
  const indent = item ? '  ' : '';
  let line = item ? '-' : '';
  for (const word of words) {
    const joined = line === '' ? word : `${line} ${word}`;
    if (line === '' || line === '-' || [...joined].length <= width) line = joined;
    else {
      lines.push(line);
      line = `${indent}${word}`;
    }
  }
  lines.push(line);
  return lines;
}

const helpLayout: HelpConfiguration = {
  prepareContext(this: Help, context: { helpWidth?: number }) {
    // Commander's width: the terminal's columns, 80 when piped.
    this.helpWidth = Math.min(context.helpWidth ?? 80, MAX_HELP_WIDTH);
  },
  boxWrap: (text: string, width: number) => reflowHelp(text, width),
};

/** Every command of the program, subcommands included, lays its help out with reflowHelp. */
export function withHelpLayout(command: Command): Command {
  command.configureHelp(helpLayout);
  for (const sub of command.commands) withHelpLayout(sub);
  return command;
}
