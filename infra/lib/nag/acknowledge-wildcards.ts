import { Stack, Validations, type IAspect } from 'aws-cdk-lib';
import { CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

import { wildcardReason } from '../permissions/statements';

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
}

/** A wildcard that CDK itself writes into a generated policy (grants of L2 constructs), and why it is fine. */
export interface GeneratedWildcard {
  /** Matches the finding text, e.g. `Action::s3:GetObject*` or `Resource::<Bucket.Arn>/*`. */
  readonly finding: RegExp;
  readonly reason: string;
}

const generatedWildcards = new WeakMap<IConstruct, readonly GeneratedWildcard[]>();

/** Declares the wildcards CDK generates in policies under `scope`; findings matching none still fail. */
export function acknowledgeGeneratedWildcards(
  scope: IConstruct,
  wildcards: readonly GeneratedWildcard[],
): void {
  generatedWildcards.set(scope, [...(generatedWildcards.get(scope) ?? []), ...wildcards]);
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 (wildcard) findings on statements built with scopedStatement /
 * unscopedStatement, using the reason each declared. cdk-nag v3 needs one acknowledgement per finding
 * (`AwsSolutions-IAM5[Resource::...]`), whose text contains logical ids; deriving them here keeps the
 * reasons next to the statements instead of copying generated ids into suppressions. Statements CDK
 * generates carry no sid; acknowledgeGeneratedWildcards declares theirs by pattern.
 */
export class AcknowledgeDeclaredWildcards implements IAspect {
  visit(node: IConstruct): void {
    const generated = node.node.scopes.flatMap((scope) => generatedWildcards.get(scope) ?? []);
    for (const statement of statementsOf(node)) {
      if (statement.Effect !== 'Allow') continue;
      const declared = statement.Sid === undefined ? undefined : wildcardReason(statement.Sid);
      for (const finding of wildcardFindings(statement)) {
        const reason = declared ?? generated.find((wildcard) => wildcard.finding.test(finding))?.reason;
        if (reason !== undefined)
          Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
      }
    }
  }
}

function statementsOf(node: IConstruct): Statement[] {
  if (node instanceof CfnPolicy) return documentStatements(Stack.of(node).resolve(node.policyDocument));
  if (node instanceof CfnRole) {
    const policies: unknown = Stack.of(node).resolve(node.policies);
    if (!Array.isArray(policies)) return [];
    return policies.flatMap((policy: { policyDocument?: unknown; PolicyDocument?: unknown }) =>
      documentStatements(Stack.of(node).resolve(policy.PolicyDocument ?? policy.policyDocument)),
    );
  }
  return [];
}

function documentStatements(document: unknown): Statement[] {
  const statements = (document as { Statement?: Statement[] } | undefined)?.Statement;
  return Array.isArray(statements) ? statements : [];
}

/** The finding texts cdk-nag's IAM5 rule reports for one statement. */
function wildcardFindings(statement: Statement): string[] {
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  const actions = list(statement.Action)
    .filter((action): action is string => typeof action === 'string' && action.includes('*'))
    .map((action) => `Action::${action}`);
  const resources = list(statement.Resource)
    .map((resource) => flattenCfnReference(resource))
    .filter((resource) => resource.includes('*'))
    .map((resource) => `Resource::${resource}`);
  return [...actions, ...resources];
}
