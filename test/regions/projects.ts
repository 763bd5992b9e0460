/** A stack with an AWS::AppSync::GraphQLApi (not in mx-central-1 in the bundled data) at line 3 onwards, and nothing else. */
export const APPSYNC_API = `  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: api
      AuthenticationType: API_KEY
`;

/** A manifest whose one stack `app` (app.yaml) deploys to each of `regions` in environment prod. */
export const manifest = (regions: string) => `project: shop
region: us-east-1
stacks:
  app:
    template: app.yaml
environments:
  prod:
    regions: [${regions}]
`;
