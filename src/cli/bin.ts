import { main } from './main.ts';

// The AWS SDK is pinned to releases that run on Node 20 (see package.json); its notice that
// later releases will need Node 22 is for us, not for someone running a deploy.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that goes away (`stackpilot status | head -1`) closes the pipe: output ends there,
// quietly, and whatever is running (a deploy) carries on to its end instead of dying halfway.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user error: say so plainly, with the stack for the report.
    process.stderr.write(`stackpilot: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
