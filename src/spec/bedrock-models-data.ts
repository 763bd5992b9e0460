import type { BedrockModelsData } from '../regions/availability.ts';

// Regions from which each Amazon Bedrock foundation model can be invoked: in the region itself, or
// through a cross-Region inference profile (`us.`, `eu.`, `apac.`) whose source regions include it.
// Compiled by hand (facts only) from the AWS documentation "Supported foundation models in Amazon
// Bedrock" (https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html) and
// "Supported Regions and models for inference profiles"; update `date` with the table.
const US = 'us-east-1 us-east-2 us-west-2';
const EU = 'eu-central-1 eu-west-1 eu-west-3';
const APAC = 'ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-1 ap-southeast-2';

export const BEDROCK_MODELS: BedrockModelsData = {
  source: 'https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html',
  date: '2026-11-30',
  models: {
    'amazon.titan-text-express-v1': 'us-east-1 us-west-2 us-gov-west-1 ap-northeast-1 ap-south-1 ap-southeast-1 ap-southeast-2 ca-central-1 eu-central-1 eu-west-1 eu-west-2 eu-west-3 sa-east-1',
    'amazon.titan-text-lite-v1': 'us-east-1 us-west-2 ap-south-1 ap-southeast-2 ca-central-1 eu-central-1 eu-west-1 eu-west-2 eu-west-3 sa-east-1',
    'amazon.titan-embed-text-v1': 'us-east-1 us-west-2 ap-northeast-1 eu-central-1',
    'amazon.titan-embed-text-v2:0': 'us-east-1 us-east-2 us-west-2 us-gov-west-1 ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-2 ca-central-1 eu-central-1 eu-central-2 eu-west-1 eu-west-2 eu-west-3 sa-east-1',
    'amazon.nova-micro-v1:0': `${US} us-gov-west-1 ${APAC} eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3`,
    'amazon.nova-lite-v1:0': `${US} us-gov-west-1 ${APAC} eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3`,
    'amazon.nova-pro-v1:0': `${US} us-gov-west-1 ${APAC} eu-central-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-3`,
    'anthropic.claude-instant-v1': 'us-east-1 us-west-2 ap-northeast-1 ap-southeast-1 eu-central-1',
    'anthropic.claude-v2': 'us-east-1 us-west-2 ap-southeast-1 eu-central-1',
    'anthropic.claude-v2:1': 'us-east-1 us-west-2 ap-northeast-1 eu-central-1',
    'anthropic.claude-3-haiku-20240307-v1:0': `${US} us-gov-west-1 ${APAC} ca-central-1 ${EU} eu-central-2 eu-west-2 sa-east-1`,
    'anthropic.claude-3-sonnet-20240229-v1:0': `us-east-1 us-west-2 ${APAC} ca-central-1 ${EU} eu-west-2 sa-east-1`,
    'anthropic.claude-3-opus-20240229-v1:0': 'us-east-1 us-west-2',
    'anthropic.claude-3-5-sonnet-20240620-v1:0': `us-east-1 us-west-2 us-gov-west-1 ${APAC} ${EU}`,
    'anthropic.claude-3-5-sonnet-20241022-v2:0': `${US} ${APAC}`,
    'anthropic.claude-3-5-haiku-20241022-v1:0': US,
    'anthropic.claude-3-7-sonnet-20250219-v1:0': `${US} ${EU} eu-north-1`,
    'anthropic.claude-sonnet-4-20250514-v1:0': `${US} ${APAC} ${EU} eu-north-1`,
    'anthropic.claude-opus-4-20250514-v1:0': US,
    'meta.llama3-8b-instruct-v1:0': 'us-east-1 us-west-2 us-gov-west-1 ap-south-1 ca-central-1 eu-west-2',
    'meta.llama3-70b-instruct-v1:0': 'us-east-1 us-west-2 us-gov-west-1 ap-south-1 ca-central-1 eu-west-2',
    'meta.llama3-1-8b-instruct-v1:0': US,
    'meta.llama3-1-70b-instruct-v1:0': US,
    'meta.llama3-1-405b-instruct-v1:0': 'us-west-2',
    'meta.llama3-2-1b-instruct-v1:0': `${US} eu-central-1 eu-west-1 eu-west-3`,
    'meta.llama3-2-3b-instruct-v1:0': `${US} eu-central-1 eu-west-1 eu-west-3`,
    'meta.llama3-2-11b-instruct-v1:0': US,
    'meta.llama3-2-90b-instruct-v1:0': US,
    'meta.llama3-3-70b-instruct-v1:0': US,
    'mistral.mistral-7b-instruct-v0:2': 'us-east-1 us-west-2 ap-south-1 ap-southeast-2 ca-central-1 eu-west-1 eu-west-2 eu-west-3 sa-east-1',
    'mistral.mixtral-8x7b-instruct-v0:1': 'us-east-1 us-west-2 ap-south-1 ap-southeast-2 ca-central-1 eu-west-1 eu-west-2 eu-west-3 sa-east-1',
    'mistral.mistral-large-2402-v1:0': 'us-east-1 us-west-2 ap-south-1 ap-southeast-2 ca-central-1 eu-west-1 eu-west-2 eu-west-3 sa-east-1',
    'mistral.mistral-small-2402-v1:0': 'us-east-1',
    'cohere.command-r-v1:0': 'us-east-1 us-west-2',
    'cohere.command-r-plus-v1:0': 'us-east-1 us-west-2',
    'cohere.embed-english-v3': 'us-east-1 us-west-2 ap-northeast-1 ap-south-1 ap-southeast-1 ap-southeast-2 ca-central-1 eu-central-1 eu-west-1 eu-west-2 eu-west-3 sa-east-1',
  },
};
