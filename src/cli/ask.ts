import { createInterface } from 'node:readline/promises';

/** Questions for a person on the terminal: undefined when there is none to ask on (CI, pipes). */
export interface TerminalQuestions {
  /** A y/N question: yes only for y or yes. */
  yesNo(question: string): Promise<boolean>;
  /** A question answered with text; undefined when an interrupt cut it short. */
  text(question: string): Promise<string | undefined>;
}

/**
 * Asks on standard error, so standard output keeps only what the command prints. Ctrl-C while
 * a question waits is passed on as the interrupt it is (the terminal would otherwise swallow
 * it), and the interrupt's signal cancels the question: the answer is then no.
 */
export function terminalQuestions(signal?: AbortSignal): TerminalQuestions | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  const ask = async (question: string): Promise<string | undefined> => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
    try {
      return await rl.question(question, { signal });
    } catch (error) {
      if ((error as Error).name === 'AbortError') return undefined;
      throw error;
    } finally {
      rl.close();
    }
  };
  return {
    yesNo: async (question) => /^y(es)?$/i.test((await ask(`${question} [y/N] `))?.trim() ?? ''),
    text: (question) => ask(`${question} `),
  };
}
