/** The exit codes stackpilot documents (README, "Exit codes"). */
export const EXIT = {
  /** No error (warnings pass unless --strict). */
  ok: 0,
  /** A stack failed (to deploy, delete or be previewed), awaits confirmation, or is missing (status, outputs). */
  failed: 1,
  /** Findings of error severity (or warnings with --strict). */
  findings: 2,
  /** Usage or I/O problem: bad flags, a path that doesn't exist, an unreadable file. */
  usage: 3,
  /** Interrupted (Ctrl-C, SIGTERM): 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;
