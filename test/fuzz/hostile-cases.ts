/**
 * Input built to stall, exhaust or crash a reader: what a pull request can put in a template or
 * a parameter file. Shared by the focused tests (hostile-input.test.ts), the fuzz test and the
 * fuzz benchmark.
 */

/** A template whose AllowedPattern backtracks exponentially on its own Default in a backtracking engine. */
export const CATASTROPHIC_PATTERN = `Parameters:
  Name:
    Type: String
    AllowedPattern: "^(a|a)*$"
    Default: "${'a'.repeat(40)}b"
Resources:
  Topic: {Type: AWS::SNS::Topic}
`;

/** The same pattern, with a value that fits it, so only the parameter value is hostile. */
export const catastrophicPatternWithDefault = (value: string) => CATASTROPHIC_PATTERN.replace(/Default: ".*"/, `Default: ${JSON.stringify(value)}`);

/** AllowedPatterns in Java syntax that a linear-time engine does not evaluate. */
export const patternTemplate = (pattern: string, value = 'abc') => `Parameters:
  Name:
    Type: String
    AllowedPattern: ${JSON.stringify(pattern)}
    Default: ${JSON.stringify(value)}
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties: {DisplayName: !Ref Name}
`;

/** Nine levels of nine aliases: a few hundred bytes that expand to 9^9 values. */
export function aliasBomb(levels = 9, width = 9): string {
  const lines = [`a0: &a0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let level = 1; level < levels; level++) lines.push(`a${level}: &a${level} [${Array(width).fill(`*a${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n`;
}

/** An alias inside the node it names: a value that would contain itself forever. */
export const SELF_ALIAS = 'a: &a [*a]\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n';

/** JSON nested `depth` lists deep inside a resource's properties. */
export const deepJson = (depth: number) => `{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Metadata": ${'['.repeat(depth)}${']'.repeat(depth)}}}}`;

/** YAML flow collections nested `depth` deep. */
export const deepYamlFlow = (depth: number) => `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Metadata: ${'{a: ['.repeat(depth)}${']}'.repeat(depth)}\n`;

/** YAML block mappings nested `depth` deep (two spaces a level). */
export const deepYamlBlock = (depth: number) =>
  `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Metadata:\n${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i + 3)}k:`).join('\n')} x\n`;

/**
 * Found by the fuzzer: a stray alias before each key nests every line one level deeper, and the
 * line that closes them all made yaml's parser recurse through the levels at once.
 */
export const YAML_STAIRS = `Resources:\n${'   *x     CodeUri: lam *x bda\n'.repeat(3_000)}  Handler: index.handler\n`;

/** A JSON template of about `bytes` bytes: one topic, and resources' Metadata padded out. */
export function bigJsonTemplate(bytes: number): string {
  const filler = 'x'.repeat(1000);
  const count = Math.max(1, Math.ceil(bytes / 1030));
  const items = Array.from({ length: count }, () => `"${filler}"`).join(',');
  return `{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Metadata": {"Pad": [${items}]}}}}`;
}

/** Names that live on Object.prototype, and the one that sets it. */
export const HOSTILE_NAMES = ['constructor', 'hasOwnProperty', 'toString', '__proto__'] as const;

/** The places a template declares a name. */
export const NAME_PLACES = ['parameter', 'mapping', 'condition', 'resource', 'output'] as const;

/**
 * A template that gives one of its declarations (a parameter, mapping, condition, resource or
 * output) the name `name`, and uses it. `__proto__` is not alphanumeric, so CloudFormation
 * refuses it as a parameter, resource or output name.
 */
export function hostileNamesTemplate(name: string, place: (typeof NAME_PLACES)[number]): string {
  const is = (p: typeof place, fallback: string) => (place === p ? name : fallback);
  const [parameter, mapping, condition, resource, output] = [is('parameter', 'Param'), is('mapping', 'Map'), is('condition', 'Always'), is('resource', 'Value'), is('output', 'Out')];
  return `Parameters:
  ${parameter}:
    Type: String
    Default: v-${name}
Mappings:
  ${mapping}:
    top:
      second: found-${name}
Conditions:
  ${condition}: !Equals [!Ref ${parameter}, v-${name}]
Resources:
  ${resource}:
    Type: AWS::SSM::Parameter
    Condition: ${condition}
    Properties:
      Type: String
      Value: !FindInMap [${mapping}, top, second]
      Description: !Ref ${parameter}
Outputs:
  ${output}:
    Condition: ${condition}
    Value: !GetAtt ${resource}.Value
`;
}

/** The same names where any string is allowed, with alphanumeric logical ids: CloudFormation accepts it. */
export function hostileKeysTemplate(name: string): string {
  return `Parameters:
  Param:
    Type: String
    Default: v-${name}
Mappings:
  Map:
    ${name}:
      ${name}: found-${name}
Conditions:
  Always: !Equals [!Ref Param, v-${name}]
Resources:
  Value:
    Type: AWS::SSM::Parameter
    Condition: Always
    Properties:
      Type: String
      Value: !FindInMap [Map, ${name}, ${name}]
      Tags:
        ${name}: !Ref Param
Outputs:
  Out:
    Value: !GetAtt Value.Value
`;
}

/** A template that refers to `name` where nothing of that name is declared: each is an error. */
export function missingNamesTemplate(name: string): string {
  return `Mappings:
  Map:
    top:
      second: value
Resources:
  Value:
    Type: AWS::SSM::Parameter
    DependsOn: ${name}
    Properties:
      Type: String
      Value: !FindInMap [Map, top, ${name}]
      Description: !Ref ${name}
Outputs:
  Out:
    Condition: ${name}
    Value: !GetAtt ${name}.Value
`;
}

/** Only the mapping lookup misses: the engine must fail the resource, not find Object.prototype. */
export function missingMappingKeyTemplate(name: string): string {
  return `Mappings:
  Map:
    top:
      second: value
Resources:
  Value:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !FindInMap [Map, top, ${name}]
`;
}

/** The name as a resource type and inside a parameter type: neither is a type CloudFormation knows. */
export function hostileTypesTemplate(name: string): string {
  return `Parameters:
  Param:
    Type: List<${name}>
    Default: x
Resources:
  Named:
    Type: ${name}
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Join [',', !Ref Param]
`;
}

/** A dynamic reference to a key the secret's JSON does not have. */
export function missingSecretKeyTemplate(name: string): string {
  return `Resources:
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: '{"user": "admin"}'
  Value:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !Sub '{{resolve:secretsmanager:\${Secret}:SecretString:${name}}}'
`;
}

/** Mappings and lists where CloudFormation wants text: a Default, AllowedValues, a mapping's value. */
export const WRONG_SHAPES = `Parameters:
  Shaped:
    Type: String
    Default: {a: 1}
    AllowedValues: [{a: 1}, x]
  Listed:
    Type: String
    Default: x
    AllowedValues: [[x], {a: 1}, x]
Mappings:
  Map:
    top:
      second: {a: 1}
Resources:
  Value:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !FindInMap [Map, top, second]
      Description: !Ref Listed
`;
