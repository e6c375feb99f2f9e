import { conditionStep } from './condition';
import { failStep } from './fail';
import { jobStep } from './jobs';
import { lambdaStep } from './lambda';
import { modelStep, registerModelStep } from './model';
import { StepFailure, type StepHandler } from './types';

/** The step types the local AWS runs, by the definition's `Type`. */
export const STEP_HANDLERS: Readonly<Record<string, StepHandler>> = {
  Processing: jobStep('Processing'),
  Training: jobStep('Training'),
  Transform: jobStep('Transform'),
  Model: modelStep,
  RegisterModel: registerModelStep,
  Condition: conditionStep,
  Fail: failStep,
  Lambda: lambdaStep,
};

/** Callback, Tuning, EMR, QualityCheck, ClarifyCheck, AutoML, ... fail with a reason naming the type. */
export function unsupportedStep(type: string): StepHandler {
  return () =>
    Promise.reject(
      new StepFailure(
        `Step type ${type} is not supported by the local AWS; it runs ${Object.keys(STEP_HANDLERS).join(', ')} steps. Run this pipeline on SageMaker, or remove the ${type} step for local runs.`,
      ),
    );
}

export function stepHandler(type: string): StepHandler {
  return STEP_HANDLERS[type] ?? unsupportedStep(type);
}
