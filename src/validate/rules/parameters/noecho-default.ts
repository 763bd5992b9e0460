import { type TemplateRule, userGuide } from '../../rule.ts';

/** A secret with a Default is a secret written in the template for anyone to read. */
export const noEchoDefault: TemplateRule = {
  scope: 'template',
  id: 'SP2003',
  title: 'NoEcho parameter with a Default',
  severity: 'warning',
  docs: userGuide('security-best-practices.html#creds'),
  check({ model, report }) {
    for (const decl of model.parameters.values()) {
      if (decl.noEcho && decl.default !== undefined && decl.default !== '') {
        report(['Parameters', decl.name, 'Default'], `NoEcho parameter ${decl.name} has a Default: the secret is stored in the template; pass it at deploy time or use a dynamic reference ({{resolve:secretsmanager:...}})`);
      }
    }
  },
};
