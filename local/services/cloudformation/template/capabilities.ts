import { insufficientCapabilities } from '../errors';
import type { Template } from './types';

/** IAM types and the property that gives each a custom name (which needs CAPABILITY_NAMED_IAM). */
const IAM_TYPES: Readonly<Record<string, string | undefined>> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::Policy': undefined,
  'AWS::IAM::AccessKey': undefined,
  'AWS::IAM::UserToGroupAddition': undefined,
};

export interface CapabilityRequirement {
  readonly capability: 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM';
  /** The resource types that need it, for ValidateTemplate's CapabilitiesReason. */
  readonly types: readonly string[];
}

export function requiredCapability(template: Template): CapabilityRequirement | undefined {
  const iam = Object.values(template.Resources).filter((resource) => resource.Type in IAM_TYPES);
  if (iam.length === 0) return undefined;
  const named = iam.some((resource) => {
    const nameProperty = IAM_TYPES[resource.Type];
    return nameProperty !== undefined && resource.Properties?.[nameProperty] !== undefined;
  });
  return {
    capability: named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM',
    types: [...new Set(iam.map((resource) => resource.Type))].sort(),
  };
}

/** Templates with IAM resources must be acknowledged with CAPABILITY_IAM (named ones: CAPABILITY_NAMED_IAM). */
export function checkCapabilities(template: Template, given: readonly string[]): void {
  const required = requiredCapability(template);
  if (!required) return;
  const satisfied =
    given.includes('CAPABILITY_NAMED_IAM') ||
    (required.capability === 'CAPABILITY_IAM' && given.includes('CAPABILITY_IAM'));
  if (!satisfied) throw insufficientCapabilities(required.capability);
}
