import * as core from '@actions/core';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';

import { createClient } from '../../aws/clients';
import { findApprovedModelPackage } from '../../deploy/approved-model';
import { renderApprovedModelSummary } from '../../report/approved-model-summary';
import { actionClientOptions, runAction, setOutputs, writeSummary } from '../action-runtime';
import { Inputs } from '../inputs';
import { readApprovedModelInputs } from './inputs';

/** approved-model: the deploy gate — the newest Approved package of a group, or a failure saying how to approve one. */
export function run(): Promise<void> {
  return runAction(async () => {
    const inputs = readApprovedModelInputs(new Inputs((name) => core.getInput(name)));
    const sagemaker = createClient(SageMakerClient, actionClientOptions('approved-model'));
    const approved = await findApprovedModelPackage(sagemaker, inputs.modelPackageGroup);
    core.info(`Newest Approved package of ${inputs.modelPackageGroup}: ${approved.arn}`);
    setOutputs({
      'model-package-arn': approved.arn,
      'model-package-version': approved.version,
      'model-data-url': approved.modelDataUrl,
      'image-uri': approved.imageUri,
      'creation-time': approved.creationTime?.toISOString(),
      'template-parameters': { [inputs.parameterName]: approved.arn },
    });
    await writeSummary(renderApprovedModelSummary(approved));
  });
}
