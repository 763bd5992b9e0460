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

/** A property the registry marks deprecated: `path` is its names from the resource down, joined by `/`, `*` standing for each item of a list. */
export interface DeprecatedProperty {
  path: string;
  /** Deprecated: CloudFormation still accepts it. Rejected: AWS refuses it from `since` on. */
  status: 'deprecated' | 'rejected';
  since?: string;
  reason?: string;
  /** What to use instead, where AWS says. */
  instead?: string;
}

interface LifecycleFile<T> {
  source: string;
  date: string;
  runtimes?: Record<string, T>;
  types?: Record<string, T>;
}

let runtimes: Map<string, RuntimeLifecycle> | undefined;
let services: Map<string, ServiceLifecycle> | undefined;
let deprecated: Map<string, DeprecatedProperty[]> | undefined;

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

/** The deprecated properties of a resource type (data/deprecated-properties.json), none for most. */
export function deprecatedProperties(type: string): DeprecatedProperty[] {
  deprecated ??= new Map(Object.entries(readDataFile<LifecycleFile<DeprecatedProperty[]>>('data/deprecated-properties.json').types ?? {}));
  return deprecated.get(type) ?? [];
}
