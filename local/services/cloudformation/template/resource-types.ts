import { templateFormatError } from '../errors';
import recognized from './resource-types.json';
import type { Template } from './types';

/** Every public resource type AWS knows (scripts/cloudformation-resource-types.ts writes the list). */
const RECOGNIZED = new Set(recognized.types);

/** Custom resources are typed `Custom::<anything>`; CloudFormation accepts any such name. */
const isCustom = (type: string) => /^Custom::[A-Za-z0-9_@-]{1,60}$/.test(type);

/** AWS refuses a template naming a type it does not know, before anything is created, with this text. */
export function checkResourceTypes(template: Template): void {
  const unknown = [
    ...new Set(
      Object.values(template.Resources)
        .map((resource) => resource.Type)
        .filter((type) => !RECOGNIZED.has(type) && !isCustom(type)),
    ),
  ];
  if (unknown.length > 0) throw templateFormatError(`Unrecognized resource types: [${unknown.join(', ')}]`);
}
