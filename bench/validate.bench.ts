import { join } from 'node:path';
import { templatesInFolder } from '../src/project/project.ts';
import { median, REPO, runBuiltCli, verdict } from './measure.ts';

const CORPUS = join(REPO, 'test', 'corpus', 'aws-cloudformation-templates');

/** `stackpilot validate` over the whole corpus in one process, and one cold run on a single template. */
export function benchValidate(): void {
  const templates = templatesInFolder(CORPUS);
  const corpusRuns = [0, 1, 2].map(() => runBuiltCli(['validate', '--format', 'json', ...templates]));
  const corpusSeconds = median(corpusRuns.map((r) => r.seconds));
  const corpusRss = Math.max(...corpusRuns.map((r) => r.peakRssMb));
  console.log(`validate: whole corpus (${templates.length} templates, one process, median of 3)`);
  console.log(`  wall time   ${corpusSeconds.toFixed(3)} s   (target < 1.5 s: ${verdict(corpusSeconds, 1.5)})`);
  console.log(`  peak RSS    ${corpusRss.toFixed(0)} MB   (target < 250 MB: ${verdict(corpusRss, 250)})`);

  const single = join(CORPUS, 'VPC', 'VPC_With_Managed_NAT_And_Private_Subnet.yaml');
  const coldRuns = [0, 1, 2, 3, 4].map(() => runBuiltCli(['validate', single]));
  const cold = median(coldRuns.map((r) => r.seconds));
  console.log('validate: one cold CLI run on a single template (median of 5 fresh processes)');
  console.log(`  wall time   ${(cold * 1000).toFixed(0)} ms   (target < 400 ms: ${verdict(cold, 0.4)})`);
  console.log(`  peak RSS    ${Math.max(...coldRuns.map((r) => r.peakRssMb)).toFixed(0)} MB`);
}
