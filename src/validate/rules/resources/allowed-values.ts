import { type TemplateRule, templateReference } from '../../rule.ts';
import { allowedValues } from './allowed-values-data.ts';
import { literalValues } from './literal-values.ts';
import { closest } from './property-issues.ts';

/** Values shown in a message at most; longer lists are cut (the did-you-mean still searches them all). */
const SHOWN_VALUES = 8;

/** Enum properties AWS reads in any case (type/definition/property). */
const ANY_CASE = new Set(['AWS::ElasticLoadBalancing::LoadBalancer/Listeners/Protocol', 'AWS::ElasticLoadBalancing::LoadBalancer/Listeners/InstanceProtocol']);

/**
 * A literal value of an enum property is one AWS accepts (DynamoDB BillingMode, S3
 * StorageClass, ECS NetworkMode...), case included: the services compare enums exactly.
 */
export const allowedValuesRule: TemplateRule = {
  scope: 'template',
  id: 'SP3005',
  title: 'Property value AWS does not accept',
  severity: 'error',
  docs: templateReference('aws-product-property-reference.html'),
  check(ctx) {
    for (const literal of literalValues(ctx)) {
      const allowed = allowedValues(literal.type, literal.definition, literal.property);
      if (!allowed || allowed.includes(literal.value)) continue;
      if (ANY_CASE.has(`${literal.type}/${literal.definition}/${literal.property}`) && allowed.some((v) => v.toLowerCase() === literal.value.toLowerCase())) continue;
      const owner = literal.definition === '' ? literal.type : `${literal.type}.${literal.definition}`;
      const suggestion = closest(literal.value, allowed);
      const listed = allowed.length <= SHOWN_VALUES ? allowed.join(', ') : `${allowed.slice(0, SHOWN_VALUES).join(', ')}, ... (${allowed.length} values)`;
      ctx.report(literal.path, `${owner} ${literal.property} does not accept ${JSON.stringify(literal.value)}${suggestion ? `: did you mean ${suggestion}?` : ''} (accepted: ${listed})`);
    }
  },
};
