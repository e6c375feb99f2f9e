import { isObject } from './json';
import { member } from './json-path';
import { scanExpressions, type ExpressionScan } from './references';
import type { FlatStep } from './steps';

/**
 * The expressions a step itself evaluates: its Arguments (for a Condition only its Conditions; the
 * branch steps are steps of their own), a Lambda's FunctionArn and a Callback's SqsQueueUrl.
 */
export function scanStep(flat: FlatStep): ExpressionScan {
  const { step, path } = flat;
  const argsPath = member(path, 'Arguments');
  const scans = [
    flat.type === 'Condition'
      ? scanExpressions(
          isObject(step.Arguments) ? step.Arguments.Conditions : undefined,
          member(argsPath, 'Conditions'),
        )
      : scanExpressions(step.Arguments, argsPath),
    scanExpressions(step.FunctionArn, member(path, 'FunctionArn')),
    scanExpressions(step.SqsQueueUrl, member(path, 'SqsQueueUrl')),
  ];
  return {
    references: scans.flatMap((scan) => scan.references),
    problems: scans.flatMap((scan) => scan.problems),
  };
}
