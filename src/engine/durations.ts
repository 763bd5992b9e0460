/**
 * How long resources of a type take in AWS, roughly, in seconds: used when EngineOptions.timeScale
 * is above 0 so progress can be watched and scheduling measured. Deletions take about half.
 */
const CREATE_SECONDS: Record<string, number> = {
  'AWS::DynamoDB::Table': 10,
  'AWS::S3::Bucket': 2,
  'AWS::IAM::Role': 1,
  'AWS::IAM::Policy': 1,
  'AWS::IAM::ManagedPolicy': 1,
  'AWS::Lambda::Function': 5,
  'AWS::EC2::VPC': 3,
  'AWS::EC2::Subnet': 4,
  'AWS::EC2::NatGateway': 90,
  'AWS::EC2::Instance': 30,
  'AWS::RDS::DBInstance': 420,
  'AWS::RDS::DBCluster': 300,
  'AWS::CloudFront::Distribution': 240,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 150,
  'AWS::ECS::Service': 60,
  'AWS::SQS::Queue': 1,
  'AWS::SNS::Topic': 1,
  'AWS::Logs::LogGroup': 1,
  'AWS::SSM::Parameter': 1,
  'AWS::SecretsManager::Secret': 2,
  'AWS::KMS::Key': 3,
  'AWS::CloudFormation::Stack': 0,
};

const DEFAULT_SECONDS = 2;

export function operationDelayMs(type: string, operation: 'create' | 'update' | 'delete', timeScale: number): number {
  if (timeScale <= 0) return 0;
  const seconds = CREATE_SECONDS[type] ?? DEFAULT_SECONDS;
  const factor = operation === 'create' ? 1 : 0.5;
  return seconds * factor * 1000 * timeScale;
}

export async function simulateDuration(type: string, operation: 'create' | 'update' | 'delete', timeScale: number): Promise<void> {
  const ms = operationDelayMs(type, operation, timeScale);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}
