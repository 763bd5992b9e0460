import { Redactor } from '../redaction.ts';
import { main } from './main.ts';

// The AWS SDK is pinned to releases that run on Node 20 (see package.json); its notice that
// later releases will need Node 22 is for us, not for someone running a deploy.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that goes away (`stackpilot status | head -1`) closes the pipe: output ends there,
// quietly, and whatever is running (a deploy) carries on to its end instead of dying halfway.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

/** The secrets this run learns: whatever it writes, a bug report included, has them masked. */
const secrets = new Redactor();

/** Every failure a person can act on is reported where it happens; what reaches here is a bug. */
function reportBug(error: unknown): void {
  process.stderr.write(
    'stackpilot: internal error: this is a bug in stackpilot, not a problem with your project or your AWS account.\n' +
      'Please report it with this whole output and the command you ran (see "Reporting problems" in the README).\n' +
      secrets.redact(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
  );
}

process.on('uncaughtException', (error) => {
  reportBug(error);
  process.exit(1);
});

main(process.argv.slice(2), secrets).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    reportBug(error);
    process.exitCode = 1;
  },
);
