import * as core from '@actions/core';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';

import { createClient } from '../../aws/clients';
import { approvalTags, decideApprovalDeploy } from '../../deploy/approval-decision';
import { findApprovedModelPackage } from '../../deploy/approved-model';
import { servingModelPackage } from '../../deploy/serving-package';
import {
  renderApprovalDecisionSummary,
  renderApprovedModelSummary,
} from '../../report/approved-model-summary';
import { actionClientOptions, runAction, setOutputs, writeSummary } from '../action-runtime';
import { Inputs } from '../inputs';
import { readApprovedModelInputs, type ApprovedModelInputs } from './inputs';

/**
 * approved-model: the deploy gate. Without model-package-arn: the newest Approved package of a group, or
 * a failure saying how to approve one. With it (a registry decision): exactly that package if it is
 * Approved and in the group, a rollback when it was rejected while serving, or a reported no-op.
 */
export function run(): Promise<void> {
  return runAction(async () => {
    const inputs = readApprovedModelInputs(new Inputs((name) => core.getInput(name)));
    const sagemaker = createClient(SageMakerClient, actionClientOptions('approved-model'));
    if (inputs.decision) return decide(sagemaker, inputs, inputs.decision);
    const approved = await findApprovedModelPackage(sagemaker, inputs.modelPackageGroup);
    core.info(`Newest Approved package of ${inputs.modelPackageGroup}: ${approved.arn}`);
    setOutputs({
      deploy: 'true',
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

async function decide(
  sagemaker: SageMakerClient,
  inputs: ApprovedModelInputs,
  request: NonNullable<ApprovedModelInputs['decision']>,
): Promise<void> {
  const servingArn = request.servingStackName
    ? await servingModelPackage(
        {
          cloudformation: createClient(CloudFormationClient, actionClientOptions('approved-model')),
          sagemaker,
        },
        request.servingStackName,
      )
    : undefined;
  const decision = await decideApprovalDeploy(sagemaker, {
    event: request.event,
    modelPackageArn: request.modelPackageArn,
    groupName: inputs.modelPackageGroup,
    servingArn,
  });
  core.info(decision.reason);
  setOutputs(
    decision.kind === 'no-op'
      ? { deploy: 'false', reason: decision.reason }
      : {
          deploy: 'true',
          reason: decision.reason,
          'model-package-arn': decision.package.arn,
          'approved-by': decision.package.approvedBy,
          'approval-description': decision.package.approvalDescription,
          'pipeline-execution-arn': decision.package.pipelineExecutionArn,
          tags: approvalTags(decision.package),
          'template-parameters': { [inputs.parameterName]: decision.package.arn },
        },
  );
  await writeSummary(
    renderApprovalDecisionSummary({
      event: request.event,
      modelPackageArn: request.modelPackageArn,
      decision,
    }),
  );
}
