import { join } from 'node:path';
import { templatesInFolder } from '../src/project/project.ts';
import { median, REPO, runBuiltCli, runNode, verdict, type Measurement } from './measure.ts';

const CORPUS = join(REPO, 'test', 'corpus', 'aws-cloudformation-templates');
/** cfn-lint's CPU time on the whole corpus on this kind of machine (2 cores), for the ratio. */
const CFN_LINT_CORPUS_CPU_SECONDS = 32;

const passOrFail = (value: number, goal: number): string => (value <= goal ? 'PASS' : 'FAIL');

/**
 * `stackpilot validate` over the whole corpus in one process, and cold runs on a single template
 * beside `node -e 0` in the same run. CPU seconds (user + system of the child) are the measure:
 * wall time swings with whatever else the machine runs.
 */
export function benchValidate(): void {
  const templates = templatesInFolder(CORPUS);
  const corpusRuns = [0, 1, 2].map(() => runBuiltCli(['validate', '--format', 'json', ...templates]));
  const corpusCpu = median(corpusRuns.map((r) => r.cpuSeconds));
  const corpusSeconds = median(corpusRuns.map((r) => r.seconds));
  const corpusRss = Math.max(...corpusRuns.map((r) => r.peakRssMb));
  console.log(`validate: whole corpus (${templates.length} templates, one process, median of 3)`);
  console.log(`  CPU time    ${corpusCpu.toFixed(3)} s   (goal <= 0.8 s: ${passOrFail(corpusCpu, 0.8)}; cfn-lint ~${CFN_LINT_CORPUS_CPU_SECONDS} s: ${(CFN_LINT_CORPUS_CPU_SECONDS / corpusCpu).toFixed(0)}x less)`);
  console.log(`  wall time   ${corpusSeconds.toFixed(3)} s   (target < 1.5 s: ${verdict(corpusSeconds, 1.5)})`);
  console.log(`  peak RSS    ${corpusRss.toFixed(0)} MB   (target < 250 MB: ${verdict(corpusRss, 250)})`);

  // Taken in turns so a busy moment of the machine weighs on both alike.
  const single = join(CORPUS, 'VPC', 'VPC_With_Managed_NAT_And_Private_Subnet.yaml');
  const coldRuns: Measurement[] = [];
  const bareRuns: Measurement[] = [];
  for (let run = 0; run < 7; run++) {
    coldRuns.push(runBuiltCli(['validate', single]));
    bareRuns.push(runNode(['-e', '0']));
  }
  const cold = median(coldRuns.map((r) => r.seconds));
  const coldCpu = median(coldRuns.map((r) => r.cpuSeconds));
  const bareCpu = median(bareRuns.map((r) => r.cpuSeconds));
  const ratio = coldCpu / bareCpu;
  console.log('validate: one cold CLI run on a single template (median of 7 fresh processes)');
  console.log(`  CPU time    ${(coldCpu * 1000).toFixed(0)} ms   (node -e 0: ${(bareCpu * 1000).toFixed(0)} ms; ${ratio.toFixed(2)}x, goal <= 2x: ${passOrFail(ratio, 2)})`);
  console.log(`  wall time   ${(cold * 1000).toFixed(0)} ms   (target < 400 ms: ${verdict(cold, 0.4)})`);
  console.log(`  peak RSS    ${Math.max(...coldRuns.map((r) => r.peakRssMb)).toFixed(0)} MB`);
}
