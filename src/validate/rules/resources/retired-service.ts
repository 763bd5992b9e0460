import type { TemplateRule } from '../../rule.ts';
import { serviceLifecycle } from './lifecycle-data.ts';

/**
 * A resource type of an AWS service that is shut down (an error: CloudFormation cannot create
 * or update it), shutting down (a warning, with the date) or closed to new customers (a note).
 */
export const retiredService: TemplateRule = {
  scope: 'template',
  id: 'SP3008',
  title: 'Resource type of a retired AWS service',
  severity: 'error',
  docs: 'https://docs.aws.amazon.com/general/latest/gr/sunset_services.html',
  check({ model, today, report }) {
    for (const resource of model.resources.values()) {
      const life = serviceLifecycle(resource.type);
      if (!life) continue;
      const path = ['Resources', resource.logicalId, 'Type'];
      // Both lists give the day the service stops: past it, the service is gone whichever list says so.
      const shutDown = life.status !== 'maintenance' && (life.date === undefined ? life.status === 'shutdown' : life.date <= today);
      if (shutDown) {
        report(path, `${resource.type} belongs to an AWS service that was shut down${life.date ? ` on ${life.date}` : ''}: CloudFormation can no longer create or update it; remove the resource or move to another service`);
      } else if (life.status !== 'maintenance') {
        report(path, `${resource.type} belongs to an AWS service that ${life.date ? `shuts down on ${life.date}` : 'is shutting down'}: plan a move to another service`, { severity: 'warning' });
      } else {
        report(path, `${resource.type} belongs to an AWS service in maintenance${life.date ? ` since ${life.date}` : ''}: accounts new to it cannot use it`, { severity: 'info' });
      }
    }
  },
};
