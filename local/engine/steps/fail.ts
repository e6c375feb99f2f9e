import { isRecord } from '../definition';
import { StepFailure, type StepHandler } from './types';

/** Fail step: ends the execution as Failed with the evaluated ErrorMessage. */
export const failStep: StepHandler = (context) => {
  const message = isRecord(context.args) ? context.args.ErrorMessage : undefined;
  const text = message === undefined ? '' : typeof message === 'string' ? message : JSON.stringify(message);
  return Promise.reject(new StepFailure(text, { metadata: { Fail: { ErrorMessage: text } } }));
};
