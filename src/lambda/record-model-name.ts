import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { createClient } from '../aws/clients';

/**
 * The pipeline's last step: records the name of the model it created in an SSM parameter, where the deploy
 * stage reads it. Runs as a Lambda (bundled by CDK's NodejsFunction) and, unchanged, in the local AWS's
 * Lambda runtime, which points the SDK at the local AWS through AWS_ENDPOINT_URL.
 */
export interface RecordModelNameEvent {
  readonly model_name: string;
  /** Falls back to the MODEL_NAME_PARAMETER environment variable. */
  readonly parameter_name?: string;
}

export interface RecordModelNameResult {
  readonly model_name: string;
  readonly parameter_name: string;
  readonly parameter_version: number;
}

let ssm: SSMClient | undefined;

export async function handler(event: unknown): Promise<RecordModelNameResult> {
  const { modelName, parameterName } = parseEvent(event, process.env);
  ssm ??= createClient(SSMClient, { userAgent: 'record-model-name/1.0.0' });
  const result = await ssm.send(
    new PutParameterCommand({ Name: parameterName, Value: modelName, Type: 'String', Overwrite: true }),
  );
  return { model_name: modelName, parameter_name: parameterName, parameter_version: result.Version ?? 0 };
}

/** Checks the event; every error names the field, the value received and what is expected. */
export function parseEvent(
  event: unknown,
  env: NodeJS.ProcessEnv,
): { modelName: string; parameterName: string } {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new Error(
      `record-model-name: the event must be an object like {"model_name": "..."}; got ${JSON.stringify(event)}`,
    );
  }
  const { model_name: modelName, parameter_name: parameterName } = event as Record<string, unknown>;
  if (typeof modelName !== 'string' || modelName.trim() === '') {
    throw new Error(
      `record-model-name: event.model_name must be a non-empty string; got ${JSON.stringify(modelName)}`,
    );
  }
  if (parameterName !== undefined && (typeof parameterName !== 'string' || parameterName === '')) {
    throw new Error(
      `record-model-name: event.parameter_name must be a non-empty string when set; got ${JSON.stringify(parameterName)}`,
    );
  }
  const name = parameterName ?? env.MODEL_NAME_PARAMETER;
  if (!name) {
    throw new Error(
      'record-model-name: no parameter name: pass event.parameter_name or set the MODEL_NAME_PARAMETER environment variable (e.g. /mlops/abalone/model-name)',
    );
  }
  return { modelName, parameterName: name };
}
