import * as fs from 'node:fs';

import * as core from '@actions/core';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';

import { type AwsClientOptions, createClient } from '../../aws/clients';
import {
  createDeployClients,
  DeployFailedError,
  deployStack,
  type DeployResult,
} from '../../deploy/deploy-stack';
import type { EndpointState, SmokeTestResult } from '../../deploy/endpoint';
import { stackEndpointName } from '../../deploy/stack-endpoint';
import { readRunContext, runDescription } from '../../github/context';
import { systemClock } from '../../pipeline/clock';
import { readS3Text } from '../../pipeline/s3-objects';
import { renderDeploySummary } from '../../report/deploy-summary';
import { actionReporter } from '../action-reporter';
import { actionClientOptions, runAction, setOutputs, writeSummary } from '../action-runtime';
import { Inputs } from '../inputs';
import { updatePrComment } from '../pr-comment';
import { readDeployInputs, type DeployInputs } from './inputs';

const ENDPOINT_POLL_MS = 5_000;

/** deploy-endpoint: change set → execute → wait (events streamed) → endpoint InService → smoke test. */
export function run(): Promise<void> {
  return runAction(async () => {
    const inputs = readDeployInputs(new Inputs((name) => core.getInput(name)));
    const context = readRunContext();
    const clientOptions = actionClientOptions('deploy-endpoint');
    const clients = createDeployClients(clientOptions);
    const deadline = systemClock.now() + inputs.timeoutMinutes * 60_000;
    const changeSetName = `mlops-${context.runId ?? 'local'}-${context.runAttempt ?? 1}-${Date.now().toString(36)}`;
    const description = runDescription(context)?.slice(0, 1024);
    let deploy: DeployResult;
    try {
      deploy = await deployStack(
        clients,
        {
          stackName: inputs.stackName,
          template: inputs.template,
          parameters: inputs.parameters,
          capabilities: inputs.capabilities,
          tags: inputs.tags,
          ...(inputs.roleArn ? { roleArn: inputs.roleArn } : {}),
          ...(description ? { description } : {}),
          changeSetName,
          deadline,
          failOnEmptyChangeSet: inputs.failOnEmptyChangeSet,
          ...(inputs.templateBucket ? { templateBucket: inputs.templateBucket } : {}),
        },
        actionReporter,
      );
    } catch (error) {
      if (error instanceof DeployFailedError)
        await report(inputs, { deploy: error.result, error: error.message });
      throw error;
    }
    setStackOutputs(deploy);
    const endpointName = await stackEndpointName(clients.cloudformation, {
      stackName: inputs.stackName,
      template: inputs.template,
      outputs: deploy.outputs,
    });
    const { endpoint, smokeTest } = endpointName
      ? await checkEndpoint(inputs, { endpointName, deadline, clientOptions })
      : { endpoint: undefined, smokeTest: undefined };
    if (!endpointName && inputs.smokeTestFile)
      throw new Error(`stack ${inputs.stackName} has no SageMaker endpoint to smoke-test`);
    await report(inputs, { deploy, ...(endpoint ? { endpoint } : {}), ...(smokeTest ? { smokeTest } : {}) });
  });
}

function setStackOutputs(deploy: DeployResult): void {
  setOutputs({
    ...deploy.outputs,
    outputs: deploy.outputs,
    changed: deploy.changed,
    'stack-id': deploy.stackId,
    'stack-status': deploy.status,
    'change-set-name': deploy.changed ? deploy.changeSetName : undefined,
  });
}

async function checkEndpoint(
  inputs: DeployInputs,
  options: { endpointName: string; deadline: number; clientOptions: AwsClientOptions },
): Promise<{ endpoint?: EndpointState; smokeTest?: SmokeTestResult }> {
  setOutputs({ 'endpoint-name': options.endpointName });
  // Loaded only now: the SageMaker clients are not needed for the deployment itself.
  const { waitForEndpoint, readCsvRows, smokeTestEndpoint } = await import('../../deploy/endpoint');
  const { SageMakerClient: SageMaker } = await import('@aws-sdk/client-sagemaker');
  let endpoint: EndpointState | undefined;
  if (inputs.waitForEndpoint) {
    const sagemaker: SageMakerClient = createClient(SageMaker, options.clientOptions);
    endpoint = await waitForEndpoint(sagemaker, {
      endpointName: options.endpointName,
      deadline: options.deadline,
      clock: systemClock,
      reporter: actionReporter,
      pollMs: ENDPOINT_POLL_MS,
    });
    setOutputs({ 'endpoint-status': endpoint.status });
  }
  if (!inputs.smokeTestFile) return endpoint ? { endpoint } : {};
  const source = inputs.smokeTestFile;
  const text = source.startsWith('s3://')
    ? await readS3Text(await createDeployClients(options.clientOptions).s3(), source)
    : fs.readFileSync(source, 'utf8');
  const csv = readCsvRows(text, { hasLabels: inputs.smokeTestHasLabels, source });
  const { SageMakerRuntimeClient } = await import('@aws-sdk/client-sagemaker-runtime');
  const smokeTest = await smokeTestEndpoint(createClient(SageMakerRuntimeClient, options.clientOptions), {
    endpointName: options.endpointName,
    csv,
  });
  core.info(
    `Smoke test: ${smokeTest.rows} rows answered${smokeTest.rmse !== undefined ? `, RMSE ${smokeTest.rmse.toFixed(4)}` : ''}`,
  );
  setOutputs({ 'smoke-test-rows': smokeTest.rows, 'smoke-test-rmse': smokeTest.rmse });
  return { ...(endpoint ? { endpoint } : {}), smokeTest };
}

async function report(
  inputs: DeployInputs,
  summaryInput: Parameters<typeof renderDeploySummary>[0],
): Promise<void> {
  const summary = renderDeploySummary(summaryInput);
  await writeSummary(summary);
  await updatePrComment(
    inputs.prComment,
    { section: `deploy-endpoint-${inputs.stackName}`, content: summary },
    actionReporter,
  );
}
