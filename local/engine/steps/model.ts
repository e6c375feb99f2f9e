import { isRecord } from '../definition';
import type { StepHandler } from './types';

/** Model step: CreateModel under a service-style name. */
export const modelStep: StepHandler = async (context) => {
  const args = isRecord(context.args) ? context.args : {};
  const model = await context.deps.createModel({
    ...args,
    ModelName: context.resourceName,
  });
  return { metadata: { Model: { Arn: model.ModelArn } }, properties: model };
};

/** RegisterModel step: a new model package version in its group (the group is created if missing). */
export const registerModelStep: StepHandler = async (context) => {
  const args = isRecord(context.args) ? context.args : {};
  const modelPackage = await context.deps.registerModel(args);
  return { metadata: { RegisterModel: { Arn: modelPackage.ModelPackageArn } }, properties: modelPackage };
};
