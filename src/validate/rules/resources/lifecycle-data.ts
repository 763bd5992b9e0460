import { readDataFile } from '../data-files.ts';

/** One row of AWS's Lambda runtimes table (ISO dates; null where AWS has set none). */
export interface RuntimeLifecycle {
  deprecated: string | null;
  blockCreate: string | null;
  blockUpdate: string | null;
  successor: string | null;
}

/** Where an AWS service stands: maintenance (no new customers), sunset (shutting down), shutdown. */
export interface ServiceLifecycle {
  status: 'maintenance' | 'sunset' | 'shutdown';
  date?: string;
}

interface LifecycleFile<T> {
  source: string;
  date: string;
  runtimes?: Record<string, T>;
  types?: Record<string, T>;
}

let runtimes: Map<string, RuntimeLifecycle> | undefined;
let services: Map<string, ServiceLifecycle> | undefined;

/** The lifecycle of a Lambda runtime identifier (data/lambda-runtimes.json, from scripts/build-lifecycle-data.mjs). */
export function runtimeLifecycle(runtime: string): RuntimeLifecycle | undefined {
  runtimes ??= new Map(Object.entries(readDataFile<LifecycleFile<RuntimeLifecycle>>('data/lambda-runtimes.json').runtimes ?? {}));
  return runtimes.get(runtime);
}

/** The lifecycle of the service behind a resource type (data/service-lifecycle.json), if it is not simply available. */
export function serviceLifecycle(type: string): ServiceLifecycle | undefined {
  services ??= new Map(Object.entries(readDataFile<LifecycleFile<ServiceLifecycle>>('data/service-lifecycle.json').types ?? {}));
  return services.get(type);
}
