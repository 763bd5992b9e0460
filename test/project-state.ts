import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { join } from 'node:path';
import type { AwsClients } from '../src/engine/api.ts';
import { LocalAws } from '../src/emulator/local-aws.ts';

/** A project's local state, opened as the next command would open it, with SDK clients of it for as long as `use` runs. */
export async function withProjectState<T>(dir: string, use: (clients: AwsClients & { cloudformation: CloudFormationClient }) => Promise<T>): Promise<T> {
  const local = await LocalAws.open({ dataDir: join(dir, '.stackpilot', 'local') });
  const cloudformation = new CloudFormationClient(local.clientConfig());
  try {
    return await use({ ...local.clients, cloudformation });
  } finally {
    cloudformation.destroy();
    await local.close();
  }
}
