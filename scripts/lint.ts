// Project conventions that the type checker can't see. Exits 1 with file:line findings.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RULES } from '../src/validate/rules/index.ts';
import { BUILT_IN_RULES } from '../src/validate/validate.ts';

const root = join(import.meta.dirname, '..');
const problems: string[] = [];

function files(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

// Library code reports through return values and typed events, never by printing;
// only the CLI writes to the terminal.
for (const file of files('src')) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  lines.forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    if (/\bconsole\.(log|error|warn)\(/.test(line) && !file.startsWith('src/cli/')) problems.push(`${at}: console output outside src/cli (report through results or events)`);
    if (/\b(TODO|FIXME|XXX)\b/.test(line)) problems.push(`${at}: unfinished-work marker`);
    if (/from '\.{1,2}\/[^']*(?<!\.ts)'/.test(line)) problems.push(`${at}: relative imports name the .ts file`);
  });
  if (lines.length > 450) problems.push(`${file}: ${lines.length} lines; a file should hold one idea`);
}

// Tests never skip: a skipped test is a test that cannot fail.
for (const file of files('test')) {
  readFileSync(join(root, file), 'utf8').split('\n').forEach((line, i) => {
    if (/\b(it|test|describe)\.(skip|todo)\b|\{\s*skip:\s*true/.test(line)) problems.push(`${file}:${i + 1}: skipped test`);
  });
}

// Rules: unique stable ids, each documented in docs/rules.md with a link to AWS.
const ids = new Set<string>();
const rulesDoc = readFileSync(join(root, 'docs/rules.md'), 'utf8');
for (const rule of [...RULES, ...BUILT_IN_RULES]) {
  if (!/^SP\d{4}$/.test(rule.id)) problems.push(`rule ${rule.id}: ids look like SP1234`);
  if (ids.has(rule.id)) problems.push(`rule ${rule.id}: id used twice`);
  ids.add(rule.id);
  if (!rulesDoc.includes(`| ${rule.id} |`)) problems.push(`docs/rules.md: rule ${rule.id} (${rule.title}) is not documented`);
}
for (const rule of RULES) if (!rule.docs.startsWith('https://docs.aws.amazon.com/')) problems.push(`rule ${rule.id}: docs should link the AWS documentation`);

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} lint problem${problems.length === 1 ? '' : 's'} in ${relative(process.cwd(), root) || '.'}`);
  process.exit(1);
}
console.log(`lint: ${files('src').length} source files, ${ids.size} rules: ok`);
