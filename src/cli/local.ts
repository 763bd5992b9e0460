import { Command, InvalidArgumentError, Option } from 'commander';
import { join, resolve } from 'node:path';
import type { LocalAwsServer } from '../emulator/http-server.ts';
import type { LocalCredentials } from '../emulator/request-authentication.ts';
import { StackpilotError } from '../errors.ts';
import { projectFolder } from '../project/discovery.ts';
import { terminalQuestions } from './ask.ts';
import { EXIT } from './exit-codes.ts';

/**
 * The state folder a `local` command works on: --data-dir, or `.stackpilot/local` of the project
 * PATH is in (a path that does not exist is an error: no state is made up for it).
 */
function localDataDir(path: string, flags: { dataDir?: string }): string {
  return resolve(flags.dataDir ?? join(projectFolder(path), '.stackpilot', 'local'));
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number from 0 to 65535');
  return n;
}

/** `--allow-host NAME` or `NAME:PORT` (an IPv6 address in brackets), collected over repeats. */
function allowedHost(value: string, previous: string[] = []): string[] {
  if (!/^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.test(value)) throw new InvalidArgumentError('a host name or address, optionally with :PORT');
  return [...previous, value];
}

function credentials(value: string): LocalCredentials {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) throw new InvalidArgumentError('KEY:SECRET, an access key id and its secret access key');
  return { accessKeyId: value.slice(0, colon), secretAccessKey: value.slice(colon + 1) };
}

/** A port that cannot be listened on, in words; other errors as they are. */
function listenProblem(error: NodeJS.ErrnoException & { address?: string }, port: number): Error {
  const where = `port ${port} on ${error.address ?? '127.0.0.1'}`;
  if (error.code === 'EADDRINUSE') return new StackpilotError('PortInUse', `${where} is in use`, 'Choose another with --port (0 picks a free one), or stop what uses it.');
  if (error.code === 'EACCES') return new StackpilotError('PortNotAllowed', `${where} may not be listened on by this user`, 'Choose a port above 1023 with --port (0 picks a free one).');
  return error;
}

export function localCommand(): Command {
  const local = new Command('local').summary('the embedded local AWS (CloudFormation, S3, DynamoDB, STS, SSM, Secrets Manager)').exitOverride();
  local
    .command('serve')
    .summary('serve the local engine over HTTP for any AWS client')
    .description(
      `Serves the local CloudFormation engine and its data planes (S3, DynamoDB, STS, SSM,
Secrets Manager) on 127.0.0.1, for clients outside stackpilot: the aws CLI with
--endpoint-url, other SDKs, presigned URLs. It serves the same state deploys use:
PATH/.stackpilot/local (the project's folder; default the current one), or --data-dir.

Any access key works (unless --credentials says which). For example:
  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1 \\
    aws --endpoint-url http://127.0.0.1:4566 cloudformation describe-stacks

It answers its own clients only, so that pages open in a browser cannot use it:
requests must be signed with AWS Signature Version 4 (the aws CLI and the SDKs
sign every request; S3 presigned URLs are signed) and addressed to 127.0.0.1,
localhost or [::1] on its port, or to BUCKET.localhost, BUCKET.s3.localhost.
--allow-host adds a name (host.docker.internal, for a container). A page of
another site is refused unless a bucket's CORS configuration allows it, as S3
does. On a machine shared with other users, --credentials accepts only requests
signed with that key pair: set STACKPILOT_LOCAL_CREDENTIALS=KEY:SECRET rather
than the flag, as other users can read command lines in the process list.
S3 uploads are streamed to disk, up to 5 GiB an object (S3's limit for one PUT);
other request bodies are refused beyond 16 MiB.

While it runs, stackpilot's own commands on the same state (deploy, plan, status,
delete, backup...) send their requests to it and say so; a second \`local serve\`
and \`local reset\` are refused. Stops on Ctrl-C.

Exit codes: 0 stopped, 3 usage or I/O problem (a port in use, the state owned by another
process).`,
    )
    .argument('[path]', 'project folder whose local state to serve', '.')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', port, 4566)
    .option('--data-dir <dir>', 'state folder to serve instead of PATH/.stackpilot/local')
    .option('--allow-host <name>', 'also answer requests addressed to NAME (any port) or NAME:PORT (repeatable)', allowedHost)
    .addOption(
      new Option('--credentials <key:secret>', 'accept only requests signed with this key pair (default: any key, not checked)').env('STACKPILOT_LOCAL_CREDENTIALS').argParser(credentials),
    )
    .action(async (path: string, flags: { port: number; dataDir?: string; allowHost?: string[]; credentials?: LocalCredentials }) => {
      // Loaded on demand: validate and graph start without the emulator and the AWS SDK.
      const { LocalAws, LOCAL_CREDENTIALS } = await import('../emulator/local-aws.ts');
      const { serveLocalAws } = await import('../emulator/http-server.ts');
      const { collectWhenIdle } = await import('../emulator/idle-collector.ts');
      const { announceServing } = await import('../emulator/state-lock.ts');
      const dataDir = localDataDir(path, flags);
      const allowHost = flags.allowHost ?? [];
      const aws = await LocalAws.open({ dataDir });
      let server: LocalAwsServer;
      try {
        server = await serveLocalAws(aws, { port: flags.port, allowedHosts: allowHost, credentials: flags.credentials });
      } catch (error) {
        // The state stays free for the next try (or another command).
        await aws.close();
        throw listenProblem(error as NodeJS.ErrnoException & { address?: string }, flags.port);
      }
      const stopCollecting = collectWhenIdle(server.server);
      // deploy, status, delete... of the same state now send their requests here instead of being refused.
      announceServing(dataDir, { url: server.url, accountId: aws.accountId, credentials: flags.credentials ?? LOCAL_CREDENTIALS });
      process.stdout.write(`stackpilot local AWS on ${server.url} (state: ${dataDir}, account ${aws.accountId}, region ${aws.region})\n`);
      const signers = flags.credentials ? `signed with access key ${flags.credentials.accessKeyId}` : 'signed (any access key)';
      const names = allowHost.length > 0 ? `, ${allowHost.join(', ')}` : '';
      process.stdout.write(`answering requests ${signers} addressed to 127.0.0.1, localhost, [::1]${names}\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          done();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      // A second interrupt finds no handler left and ends the process at once; the engine writes its state on exit.
      process.stderr.write('stopping: stack operations under way finish first (interrupt again to stop at once)\n');
      stopCollecting();
      try {
        await server.close();
      } finally {
        await aws.close();
      }
      process.exitCode = EXIT.ok;
    });
  local
    .command('reset')
    .summary('delete the local state (stacks and data) for a clean start')
    .description(
      `Deletes PATH/.stackpilot/local (the project's folder; default the current
one), or --data-dir: every stack deployed to the local engine and the data of
the local S3, DynamoDB, SSM and Secrets Manager. The next deploy starts from
nothing. Damaged state is deleted like any other: this is the way out when a
command reports damaged local state and no repair that keeps the rest will do.

On a terminal you are asked first; --yes deletes without asking; without
either, nothing is deleted. Refused while another process uses the state (a
running \`stackpilot local serve\` or deploy), and for a folder that holds
anything but local state.

Exit codes: 0 deleted, or there was no local state; 1 not confirmed (no
terminal and no --yes, or answered no); 3 the state is in use, the folder is
not local state, or another usage or I/O problem.`,
    )
    .argument('[path]', 'project folder whose local state to delete', '.')
    .option('--data-dir <dir>', 'state folder to delete instead of PATH/.stackpilot/local')
    .option('-y, --yes', 'delete without asking')
    .action(async (path: string, flags: { dataDir?: string; yes?: boolean }) => {
      const { resetLocalState } = await import('../emulator/reset.ts');
      const dataDir = localDataDir(path, flags);
      const questions = terminalQuestions();
      const confirm = flags.yes ? async () => true : questions && ((contents: string[]) => questions.yesNo(`Delete the local state in ${dataDir}${contents.length > 0 ? ` (${contents.join('; ')})` : ''}? Every local stack and its data is lost.`));
      const outcome = await resetLocalState(dataDir, { confirm });
      switch (outcome.kind) {
        case 'absent':
          process.stdout.write(`no local state in ${dataDir}: nothing to delete\n`);
          process.exitCode = EXIT.ok;
          return;
        case 'removed':
          process.stdout.write(`deleted the local state in ${dataDir}\n${outcome.contents.map((line) => `  ${line}\n`).join('')}`);
          process.exitCode = EXIT.ok;
          return;
        case 'unconfirmed':
          process.stderr.write(`nothing was deleted: deleting the local state in ${dataDir} needs confirmation: run again on a terminal, or with --yes\n`);
          process.exitCode = EXIT.failed;
          return;
        case 'declined':
          process.stderr.write('nothing was deleted\n');
          process.exitCode = EXIT.failed;
      }
    });
  return local;
}
