import { Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';

import { bundledNodeFunction } from '../lambda/bundled-node-function';
import { ssmParameterArn } from '../permissions/arns';
import { scopedStatement } from '../permissions/statements';

export interface RecordModelNameFunctionProps {
  readonly functionName: string;
  /** The one SSM parameter the function may write. */
  readonly parameterName: string;
}

/**
 * The pipeline's last step: src/lambda/record-model-name.ts (the same handler the local AWS runs),
 * allowed to put one SSM parameter and write its own logs.
 */
export class RecordModelNameFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: RecordModelNameFunctionProps) {
    super(scope, id);
    this.function = bundledNodeFunction(this, {
      functionName: props.functionName,
      description: 'Records the model name the SageMaker pipeline created in SSM',
      handlerFile: 'record-model-name.ts',
      roleDescription: 'record-model-name: writes one SSM parameter',
      statements: [
        scopedStatement({
          sid: 'WriteModelNameParameter',
          actions: ['ssm:PutParameter'],
          resources: [ssmParameterArn(this, props.parameterName)],
        }),
      ],
      environment: { MODEL_NAME_PARAMETER: props.parameterName },
      timeout: Duration.seconds(30),
    }).function;
  }
}
