import { isRecord, type OutputParameter } from '../definition';
import { StepFailure, type StepHandler } from './types';

/** Lambda step: invokes the function with the step's Arguments as the event and reads OutputParameters from its answer. */
export const lambdaStep: StepHandler = async (context) => {
  const functionArn = await context.resolve(context.step.FunctionArn);
  if (typeof functionArn !== 'string' || functionArn === '') {
    throw new StepFailure(
      `Lambda step ${context.step.Name} needs a FunctionArn; got ${JSON.stringify(functionArn)}`,
    );
  }
  const metadata = (outputs?: { Name: string; Value: string }[]) => ({
    Lambda: { Arn: functionArn, ...(outputs ? { OutputParameters: outputs } : {}) },
  });
  const result = await context.deps.invokeLambda(functionArn, context.args ?? {});
  if (result.functionError) {
    const detail = isRecord(result.payload) ? result.payload.errorMessage : undefined;
    throw new StepFailure(
      `Lambda function ${functionArn} failed (${result.functionError}): ${String(detail ?? JSON.stringify(result.payload))}`,
      { metadata: metadata() },
    );
  }
  const values = (context.step.OutputParameters ?? []).map((output) => [
    output.OutputName,
    outputValue(output, result.payload, functionArn),
  ]);
  const outputs = values.map(([name, value]) => ({ Name: String(name), Value: String(value) }));
  return { metadata: metadata(outputs), properties: { OutputParameters: Object.fromEntries(values) } };
};

function outputValue(
  output: OutputParameter,
  payload: unknown,
  functionArn: string,
): string | number | boolean {
  const raw = isRecord(payload) ? payload[output.OutputName] : undefined;
  if (raw === undefined || raw === null) {
    throw new StepFailure(
      `Lambda function ${functionArn} returned no output parameter ${output.OutputName}; its response was ${JSON.stringify(payload)}`,
    );
  }
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  switch (output.OutputType ?? 'String') {
    case 'Integer':
    case 'Float': {
      const value = Number(raw);
      if (!Number.isFinite(value) || (output.OutputType === 'Integer' && !Number.isInteger(value))) {
        throw new StepFailure(
          `Lambda output ${output.OutputName} is ${text}; expected a ${output.OutputType}`,
        );
      }
      return value;
    }
    case 'Boolean':
      if (raw === true || raw === false) return raw;
      if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
      throw new StepFailure(`Lambda output ${output.OutputName} is ${text}; expected true or false`);
    default:
      return text;
  }
}
