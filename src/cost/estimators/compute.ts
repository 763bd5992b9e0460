import { HOURS_PER_MONTH, type EstimateContext, type EvaluatedResource, type Estimator, type LineDraft } from '../lines.ts';
import { figure, listOf, numberOf, objectOf, refTarget, textOf } from './values.ts';

const lambdaFunction: Estimator = (resource, { usage }) => {
  const notes: string[] = [];
  const memoryMb = figure(resource.properties.MemorySize, 128, 'MemorySize', notes);
  const arm = listOf(resource.properties.Architectures).includes('arm64');
  const invocations = usage.get('lambdaInvocationsPerMonth');
  const gbSeconds = (invocations * usage.get('lambdaAverageDurationMs')) / 1000 * (memoryMb / 1024);
  const drafts: LineDraft[] = [
    { service: 'lambda', price: 'requests', quantity: invocations / 1e6, description: 'requests', usage: ['lambdaInvocationsPerMonth'] },
    { service: 'lambda', price: arm ? 'arm-gb-second' : 'gb-second', quantity: gbSeconds, description: 'compute', detail: `${memoryMb} MB, ${arm ? 'arm64' : 'x86_64'}`, usage: ['lambdaInvocationsPerMonth', 'lambdaAverageDurationMs'], notes },
  ];
  if (textOf(objectOf(resource.properties.TracingConfig).Mode) === 'Active') {
    drafts.push({ service: 'xray', price: 'traces-recorded', quantity: (invocations * usage.get('xraySampledShare')) / 1e6, description: 'X-Ray traces recorded', usage: ['lambdaInvocationsPerMonth', 'xraySampledShare'] });
  }
  return drafts;
};

interface TaskSize {
  vcpu: number;
  memoryGb: number;
  arm: boolean;
  notes: string[];
}

/** Fargate size from a task definition's Cpu (units) and Memory (MiB). */
function taskSize(definition: EvaluatedResource | undefined): TaskSize {
  const notes: string[] = [];
  if (!definition) notes.push('task definition not in this stack: 0.25 vCPU and 0.5 GB assumed');
  const cpuUnits = definition ? figure(definition.properties.Cpu, 256, 'Cpu', notes, 'the smallest Fargate size') : 256;
  const memoryMb = definition ? figure(definition.properties.Memory, 512, 'Memory', notes, 'the smallest Fargate size') : 512;
  const arm = textOf(objectOf(definition?.properties.RuntimePlatform).CpuArchitecture) === 'ARM64';
  return { vcpu: cpuUnits / 1024, memoryGb: memoryMb / 1024, arm, notes };
}

/** The share of tasks on Fargate Spot, from a capacity provider strategy (weights; Base ignored). */
function spotShare(strategy: unknown): number | undefined {
  const items = listOf(strategy).map(objectOf);
  if (items.length === 0) return undefined;
  const weight = (item: Record<string, unknown>) => numberOf(item.Weight) ?? 0;
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  const spot = items.filter((item) => textOf(item.CapacityProvider) === 'FARGATE_SPOT').reduce((sum, item) => sum + weight(item), 0);
  return total > 0 ? spot / total : 0;
}

/** The default capacity provider strategy of the stack's cluster, when it has exactly one. */
function clusterSpotShare(context: EstimateContext, clusterRef?: unknown): number | undefined {
  const clusters = context.resources.filter((r) => r.type === 'AWS::ECS::Cluster');
  const named = refTarget(clusterRef);
  const cluster = named ? clusters.find((c) => c.logicalId === named) : clusters.length === 1 ? clusters[0] : undefined;
  return cluster ? spotShare(cluster.properties.DefaultCapacityProviderStrategy) : undefined;
}

function fargateDrafts(size: TaskSize, taskHours: number, spot: number, usage: LineDraft['usage'], notes: string[]): LineDraft[] {
  const drafts: LineDraft[] = [];
  const prefix = size.arm ? 'arm-' : '';
  const parts: [string, number, string][] = [];
  if (spot < 1) parts.push([prefix, 1 - spot, 'Fargate']);
  // Fargate Spot runs x86 only.
  if (spot > 0) parts.push(['spot-', spot, 'Fargate Spot']);
  for (const [kind, share, label] of parts) {
    const hours = taskHours * share;
    const shared = [...size.notes, ...notes];
    drafts.push({ service: 'fargate', price: `${kind}vcpu-hour`, quantity: hours * size.vcpu, description: `${label} vCPU`, detail: `${size.vcpu} vCPU × ${round(hours)} task-hours`, usage, notes: shared });
    drafts.push({ service: 'fargate', price: `${kind}gb-hour`, quantity: hours * size.memoryGb, description: `${label} memory`, detail: `${size.memoryGb} GB × ${round(hours)} task-hours`, usage, notes: shared });
  }
  return drafts;
}

const round = (n: number) => Math.round(n * 100) / 100;

const ecsService: Estimator = (resource, context) => {
  const { properties } = resource;
  const launchType = textOf(properties.LaunchType);
  if (launchType === 'EC2' || launchType === 'EXTERNAL') return `${launchType} launch type: the instances are what cost, not estimated here`;
  const notes: string[] = [];
  const count = figure(properties.DesiredCount, 1, 'DesiredCount', notes);
  const definition = context.resources.find((r) => r.logicalId === refTarget(properties.TaskDefinition));
  const spot = launchType === 'FARGATE' ? 0 : (spotShare(properties.CapacityProviderStrategy) ?? clusterSpotShare(context, properties.Cluster) ?? 0);
  return fargateDrafts(taskSize(definition), count * HOURS_PER_MONTH, spot, undefined, [`${count} task${count === 1 ? '' : 's'} running all month`, ...notes]);
};

/** A Fargate task definition no service runs: tasks started on demand (RunTask), for the assumed hours. */
const taskDefinition: Estimator = (resource, context) => {
  const runByService = context.resources.some((r) => r.type === 'AWS::ECS::Service' && refTarget(r.properties.TaskDefinition) === resource.logicalId);
  if (runByService || !listOf(resource.properties.RequiresCompatibilities).includes('FARGATE')) return [];
  const spot = clusterSpotShare(context) ?? 0;
  const notes = spot > 0 ? ["run on the cluster's default capacity provider strategy"] : [];
  return fargateDrafts(taskSize(resource), context.usage.get('taskHoursPerMonth'), spot, ['taskHoursPerMonth'], notes);
};

const ecsCluster: Estimator = (resource, { usage }) => {
  const insights = listOf(resource.properties.ClusterSettings).map(objectOf).find((s) => s.Name === 'containerInsights');
  const value = textOf(insights?.Value);
  if (value !== 'enabled' && value !== 'enhanced') return [];
  return [{ service: 'cloudwatch', price: 'metric', quantity: usage.get('containerInsightsMetrics'), description: 'Container Insights metrics', usage: ['containerInsightsMetrics'] }];
};

const ecrRepository: Estimator = (_, { usage }) => [{ service: 'ecr', price: 'storage', quantity: usage.get('ecrStorageGb'), description: 'image storage', usage: ['ecrStorageGb'] }];

const sagemakerEndpoint: Estimator = (resource, context) => {
  const config = context.resources.find((r) => r.logicalId === refTarget(resource.properties.EndpointConfigName) && r.type === 'AWS::SageMaker::EndpointConfig');
  if (!config) return 'its endpoint configuration is not in this stack';
  const drafts: LineDraft[] = [];
  for (const variant of listOf(config.properties.ProductionVariants).map(objectOf)) {
    const type = textOf(variant.InstanceType);
    if (!type) return 'a production variant without a known InstanceType (serverless inference is not estimated)';
    const notes: string[] = [];
    const count = figure(variant.InitialInstanceCount, 1, 'InitialInstanceCount', notes);
    drafts.push({ service: 'sagemaker', price: `instance:${type}`, quantity: count * context.usage.get('sagemakerHoursPerMonth'), description: 'instance hours', detail: `${count} × ${type}`, usage: ['sagemakerHoursPerMonth'], notes });
  }
  return drafts;
};

export const computeEstimators: Record<string, Estimator> = {
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::ECS::Service': ecsService,
  'AWS::ECS::TaskDefinition': taskDefinition,
  'AWS::ECS::Cluster': ecsCluster,
  'AWS::ECR::Repository': ecrRepository,
  'AWS::SageMaker::Endpoint': sagemakerEndpoint,
  'AWS::SageMaker::EndpointConfig': () => [],
  'AWS::SageMaker::Model': () => [],
};
