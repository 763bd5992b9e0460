/** The one error type the library throws: a code to match on, a message for people, a hint of what to do. */
export class StackpilotError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'StackpilotError';
  }
}
