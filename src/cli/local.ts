import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import type { LocalAwsServer } from '../emulator/http-server.ts';
import { StackpilotError } from '../errors.ts';
import { EXIT } from './exit-codes.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number from 0 to 65535');
  return n;
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

Any access key works. For example:
  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1 \\
    aws --endpoint-url http://127.0.0.1:4566 cloudformation describe-stacks

Stops on Ctrl-C. One process at a time owns the state: a second one is refused.

Exit codes: 0 stopped, 3 usage or I/O problem (a port in use, the state owned by another
process).`,
    )
    .argument('[path]', 'project folder whose local state to serve', '.')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', port, 4566)
    .option('--data-dir <dir>', 'state folder to serve instead of PATH/.stackpilot/local')
    .action(async (path: string, flags: { port: number; dataDir?: string }) => {
      // Loaded on demand: validate and graph start without the emulator and the AWS SDK.
      const { LocalAws } = await import('../emulator/local-aws.ts');
      const { serveLocalAws } = await import('../emulator/http-server.ts');
      const dataDir = resolve(flags.dataDir ?? resolve(path, '.stackpilot', 'local'));
      const aws = await LocalAws.open({ dataDir });
      let server: LocalAwsServer;
      try {
        server = await serveLocalAws(aws, { port: flags.port });
      } catch (error) {
        // The state stays free for the next try (or another command).
        await aws.close();
        throw listenProblem(error as NodeJS.ErrnoException & { address?: string }, flags.port);
      }
      process.stdout.write(`stackpilot local AWS on ${server.url} (state: ${dataDir}, account ${aws.accountId}, region ${aws.region})\n`);
      await new Promise<void>((done) => {
        const stop = () => done();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      try {
        await server.close();
      } finally {
        await aws.close();
      }
      process.exitCode = EXIT.ok;
    });
  return local;
}
