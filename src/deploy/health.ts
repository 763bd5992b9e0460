import type { Manifest } from '../project/manifest.ts';
import type { EventSink } from './events.ts';

type HealthCheck = NonNullable<Manifest['healthChecks']>[number];

const OUTPUT_PLACEHOLDER = /\$\{stacks\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9]+)\}/g;

/**
 * The manifest's checks after a deploy: an output is present, an endpoint answers. On the local
 * target endpoints exist only in name (they are AWS hostnames), so URL checks are reported as
 * skipped (`ok: null`), neither passed nor failed.
 */
export async function runHealthChecks(checks: HealthCheck[], outputs: Record<string, Record<string, string>>, options: { local: boolean; timeoutMs?: number }, emit: EventSink): Promise<boolean> {
  let healthy = true;
  for (const check of checks) {
    if ('output' in check) {
      const [stack, key] = check.output.split('.');
      const value = outputs[stack]?.[key];
      const ok = value !== undefined && value !== '';
      healthy &&= ok;
      emit({ code: 'health', check: `output ${check.output}`, ok, detail: ok ? value : `stack ${stack} has no output ${key}` });
      continue;
    }
    let missing: string | undefined;
    const url = check.url.replace(OUTPUT_PLACEHOLDER, (whole, stack: string, key: string) => {
      const value = outputs[stack]?.[key];
      if (value === undefined) missing = `${stack}.${key}`;
      return value ?? whole;
    });
    if (missing) {
      healthy = false;
      emit({ code: 'health', check: `url ${check.url}`, ok: false, detail: `no output ${missing} to build the URL from` });
      continue;
    }
    if (options.local) {
      const why = 'on the local target the endpoint exists only in AWS';
      emit({ code: 'health', check: `url ${url}`, ok: null, detail: `skipped: ${why}`, skipped: why });
      continue;
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000), redirect: 'manual' });
      const ok = check.expectStatus !== undefined ? response.status === check.expectStatus : response.status < 400;
      healthy &&= ok;
      emit({ code: 'health', check: `url ${url}`, ok, detail: `HTTP ${response.status}` });
    } catch (error) {
      healthy = false;
      emit({ code: 'health', check: `url ${url}`, ok: false, detail: (error as Error).message });
    }
  }
  return healthy;
}
