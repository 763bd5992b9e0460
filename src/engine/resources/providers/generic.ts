import { synthesizeAttributes } from '../attributes.ts';
import { physicalIdFor } from '../physical-ids.ts';
import { namingOf, type ResourceProvider } from '../provider.ts';

/**
 * Any type in the resource facts without a data plane here: the resource exists in the
 * engine's records only, with a physical id and attributes in the shapes AWS uses.
 */
export const genericProvider: ResourceProvider = {
  async create(request) {
    const at = namingOf(request);
    const physicalId = physicalIdFor(request.type, request.facts, request.properties, at);
    return { physicalId, attributes: synthesizeAttributes(request.type, request.facts, physicalId, request.properties, at) };
  },
  async update(request) {
    // Ids and random parts stay; attributes read from properties follow the new values.
    const fresh = synthesizeAttributes(request.type, request.facts, request.physicalId, request.properties, namingOf(request));
    const previous = synthesizeAttributes(request.type, request.facts, request.physicalId, request.previousProperties, namingOf(request));
    const attributes = { ...request.attributes };
    for (const [name, value] of Object.entries(fresh)) {
      if (JSON.stringify(value) !== JSON.stringify(previous[name]) && JSON.stringify(previous[name]) === JSON.stringify(request.attributes[name])) attributes[name] = value;
    }
    return attributes;
  },
  async delete() {},
};
