// The process that reads hostile input for isolated-runner.ts: one case at a time, told over
// IPC, answered with what came of it. A case that stalls or kills this process shows up in the
// parent as a hang or a crash, never in the test process itself.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import pc from 'picocolors';
import { dirname, join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, ValidateTemplateCommand, type Parameter } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { seededRandom } from '../../src/engine/ids.ts';
import { StackpilotError } from '../../src/errors.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { formatJson } from '../../src/validate/format/json.ts';
import { formatSarif } from '../../src/validate/format/sarif.ts';
import { summarize } from '../../src/validate/format/summary.ts';
import { formatText } from '../../src/validate/format/text.ts';
import { RULES } from '../../src/validate/rules/index.ts';
import { BUILT_IN_RULES, validatePath } from '../../src/validate/validate.ts';
import { SCRATCH_ENV, type CaseReply, type CaseRequest, type Outcome } from './isolated-runner.ts';

const REGION = 'us-east-1';
/** A fresh local account every so many engine cases, so stacks from earlier cases don't pile up. */
const ENGINE_CASES_PER_ACCOUNT = 100;

const BUCKET = 'hostile-templates';

let account: { aws: LocalAws; cfn: CloudFormationClient; s3: S3Client; cases: number } | undefined;

async function localAccount() {
  if (account && account.cases >= ENGINE_CASES_PER_ACCOUNT) {
    account.cfn.destroy();
    account.s3.destroy();
    await account.aws.close();
    account = undefined;
  }
  if (!account) {
    const aws = await LocalAws.open({ region: REGION, engine: { random: seededRandom(7) } });
    const s3 = new S3Client(aws.clientConfig(REGION));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    account = { aws, cfn: new CloudFormationClient(aws.clientConfig(REGION)), s3, cases: 0 };
  }
  account.cases++;
  return account;
}

/** Messages that only an exception from JavaScript itself carries: a failure the engine did not mean. */
const INTERNAL_ERROR = /\b(TypeError|RangeError|ReferenceError|SyntaxError|Maximum call stack|is not a function|Cannot read properties|Cannot convert)\b/;

/** An error an AWS client may get from CloudFormation: a 4xx reply with a code and a message. */
function awsRefusal(error: unknown): Outcome | undefined {
  const e = error as { name?: string; message?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (e.$fault !== 'client' || status === undefined || status >= 500) return undefined;
  if (INTERNAL_ERROR.test(e.message ?? '')) return undefined;
  return { kind: 'refused', detail: `${e.name}: ${e.message}` };
}

function crash(error: unknown): Outcome {
  return { kind: 'crash', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

/** Text as a client can send it: an unpaired surrogate cannot be encoded in a request. */
const sendable = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

async function runEngine(request: Extract<CaseRequest, { target: 'engine' }>): Promise<Outcome[]> {
  const { aws, cfn, s3, cases } = await localAccount();
  const body = sendable(request.body);
  const outcomes: Outcome[] = [];
  let template: { TemplateBody: string } | { TemplateURL: string } = { TemplateBody: body };
  if (request.via === 'url') {
    const key = `template-${cases}.json`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    template = { TemplateURL: `https://${BUCKET}.s3.amazonaws.com/${key}` };
  }
  const call = async (work: () => Promise<string>): Promise<void> => {
    try {
      outcomes.push({ kind: 'accepted', detail: await work() });
    } catch (error) {
      outcomes.push(awsRefusal(error) ?? crash(error));
    }
  };
  await call(async () => {
    await cfn.send(new ValidateTemplateCommand(template));
    return 'ValidateTemplate';
  });
  const stackName = `hostile-${cases}`;
  await call(async () => {
    const parameters: Parameter[] | undefined = request.parameters && Object.entries(request.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
    await cfn.send(new CreateStackCommand({ StackName: stackName, ...template, Parameters: parameters, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    await aws.settled();
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const { StackEvents } = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName }));
    const reasons = (StackEvents ?? []).map((e) => e.ResourceStatusReason ?? '').filter((r) => INTERNAL_ERROR.test(r));
    if (reasons.length > 0) throw new Error(`a resource failed with an internal error: ${reasons[0]}`);
    const outputs = (Stacks?.[0]?.Outputs ?? []).map((o) => ` ${o.OutputKey}=${o.OutputValue}`).join('');
    const failure = (StackEvents ?? []).find((e) => e.ResourceStatus?.endsWith('_FAILED'))?.ResourceStatusReason;
    return `CreateStack ${Stacks?.[0]?.StackStatus}${outputs}${failure ? ` (${failure})` : ''}`;
  });
  return outcomes;
}

function runValidate(request: Extract<CaseRequest, { target: 'validate' }>): Outcome[] {
  const dir = mkdtempSync(join(process.env[SCRATCH_ENV] ?? tmpdir(), 'stackpilot-hostile-'));
  try {
    for (const [path, content] of Object.entries(request.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const parametersFile = request.parametersFile && join(dir, request.parametersFile);
    // What `stackpilot validate` does with the result: every output format is rendered too.
    const { diagnostics, project } = validatePath(join(dir, request.entry), { parametersFile });
    const summary = summarize(diagnostics, project.files.size);
    formatText(diagnostics, summary, pc.createColors(false));
    formatJson(diagnostics, summary);
    formatSarif(diagnostics, [...RULES, ...BUILT_IN_RULES], 'test');
    return [{ kind: 'accepted', detail: diagnostics.map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`).join('\n'), rules: diagnostics.map((d) => d.rule) }];
  } catch (error) {
    if (error instanceof StackpilotError) return [{ kind: 'refused', detail: error.message }];
    return [crash(error)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.on('message', (request: CaseRequest) => {
  void (async () => {
    let outcomes: Outcome[];
    try {
      outcomes = request.target === 'engine' ? await runEngine(request) : runValidate(request);
    } catch (error) {
      outcomes = [crash(error)];
    }
    const reply: CaseReply = { id: request.id ?? 0, outcomes, peakRssMb: process.resourceUsage().maxRSS / 1024 };
    process.send!(reply);
  })();
});
process.send!({ ready: true });
