import { shellWord } from '../shell-word.ts';

/**
 * Interrupts (Ctrl-C, SIGTERM) during a command that changes stacks. The first aborts the
 * signal the library watches: nothing new starts, what runs is let finish, and the command
 * ends with what became of each stack (exit 130). The second exits at once: the state stays
 * loadable (the local engine writes what it knows, and finishes its operations when it next
 * starts; on AWS, CloudFormation carries on by itself).
 */
export interface InterruptTrap {
  signal: AbortSignal;
  /** Puts the default handling back, once the command is over. */
  release(): void;
}

export function trapInterrupts(options: { target: 'local' | 'aws' }): InterruptTrap {
  const controller = new AbortController();
  const onSignal = () => {
    if (!controller.signal.aborted) {
      process.stderr.write('\ninterrupted: no new stack will start; what is running is let finish, so that each stack ends in a state of its own. Interrupt again to stop at once.\n');
      controller.abort();
      return;
    }
    process.stderr.write(
      options.target === 'local'
        ? '\nstopped at once: the local engine finishes (or rolls back) what was running the next time a stackpilot command opens this project.\n'
        : '\nstopped at once: CloudFormation carries on with the stacks that were running; `stackpilot status` shows where they are.\n',
    );
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The command just run, to run again: how the user carries on after an interrupt. */
export function commandToCarryOn(): string {
  return ['stackpilot', ...process.argv.slice(2).map(shellWord)].join(' ');
}

/** What an interrupted command tells last: where each stack stands, and how to carry on. */
export function interruptedSummary(stacks: [string, string][]): string {
  const lines = stacks.map(([stack, where]) => `  ${stack}: ${where}\n`).join('');
  return `interrupted; the stacks stand as follows:\n${lines}To carry on: ${commandToCarryOn()}\n`;
}
