/** Naming rules of the CreatePipeline API, shared by the builder (fails early) and the validator. */

export const STEP_NAME_PATTERN = /^[A-Za-z0-9\-_]{1,64}$/;
export const PARAMETER_NAME_PATTERN = /^[A-Za-z0-9\-_]{1,256}$/;

export const STEP_NAME_RULE = '1-64 characters from [A-Za-z0-9-_]';
export const PARAMETER_NAME_RULE = '1-256 characters from [A-Za-z0-9-_]';

export function assertStepName(name: string): void {
  if (!STEP_NAME_PATTERN.test(name)) {
    throw new Error(`invalid step name ${JSON.stringify(name)}: expected ${STEP_NAME_RULE}`);
  }
}

export function assertParameterName(name: string): void {
  if (!PARAMETER_NAME_PATTERN.test(name)) {
    throw new Error(`invalid parameter name ${JSON.stringify(name)}: expected ${PARAMETER_NAME_RULE}`);
  }
}
