import * as fs from 'node:fs';

import * as core from '@actions/core';

import { type AwsClientOptions, createClient } from '../../aws/clients';
import { systemClock } from '../../aws/clock';
import { readS3Text } from '../../aws/s3-objects';
import { approvalFromTags } from '../../deploy/approval-decision';
import {
  createDeployClients,
  DeployFailedError,
  deployStack,
  type DeployClients,
  type DeployResult,
} from '../../deploy/deploy-stack';
import type { EndpointState, SmokeTestResult } from '../../deploy/endpoint';
import { stackEndpointName } from '../../deploy/stack-endpoint';
import { readRunContext, runDescription, type RunContext } from '../../github/context';
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
    const clientOptions = actionClientOptions('deploy-endpoint');
    const clients = createDeployClients(clientOptions);
    const deadline = systemClock.now() + inputs.timeoutMinutes * 60_000;
    const reported = { inputs, context: readRunContext() };
    const deploy = await deployReported(reported, clients, deadline);
    setStackOutputs(deploy);
    const endpointName = await stackEndpointName(clients.cloudformation, {
      stackName: inputs.stackName,
      template: inputs.template,
      outputs: deploy.outputs,
    });
    try {
      if (!endpointName && inputs.smokeTestFile) {
        throw new Error(`stack ${inputs.stackName} has no SageMaker endpoint to smoke-test`);
      }
      const checked = endpointName
        ? await checkEndpoint(inputs, { endpointName, deadline, clientOptions, s3: clients.s3 })
        : {};
      await report(reported, { deploy, ...checked });
    } catch (error) {
      await report(reported, { deploy, error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  });
}

/** Deploys the stack; a failed deployment still gets its summary (changes, events, first failure). */
async function deployReported(
  reported: Reported,
  clients: DeployClients,
  deadline: number,
): Promise<DeployResult> {
  const { inputs, context } = reported;
  const description = runDescription(context)?.slice(0, 1024);
  try {
    return await deployStack(
      clients,
      {
        stackName: inputs.stackName,
        template: inputs.template,
        parameters: inputs.parameters,
        capabilities: inputs.capabilities,
        tags: inputs.tags,
        ...(inputs.roleArn ? { roleArn: inputs.roleArn } : {}),
        ...(description ? { description } : {}),
        changeSetName: `mlops-${context.runId ?? 'local'}-${context.runAttempt ?? 1}-${Date.now().toString(36)}`,
        deadline,
        failOnEmptyChangeSet: inputs.failOnEmptyChangeSet,
        ...(inputs.templateBucket ? { templateBucket: inputs.templateBucket } : {}),
      },
      actionReporter,
    );
  } catch (error) {
    if (error instanceof DeployFailedError) {
      setStackOutputs(error.result);
      await report(reported, { deploy: error.result, error: error.message });
    }
    throw error;
  }
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

interface EndpointCheck {
  readonly endpointName: string;
  readonly deadline: number;
  readonly clientOptions: AwsClientOptions;
  readonly s3: DeployClients['s3'];
}

/** Waits for the endpoint (wait-for-endpoint) and smoke-tests it (smoke-test-file). */
async function checkEndpoint(
  inputs: DeployInputs,
  check: EndpointCheck,
): Promise<{ endpoint?: EndpointState; smokeTest?: SmokeTestResult }> {
  setOutputs({ 'endpoint-name': check.endpointName });
  const endpoint = inputs.waitForEndpoint ? await endpointInService(check) : undefined;
  const smokeTest = inputs.smokeTestFile
    ? await runSmokeTest(inputs.smokeTestFile, inputs.smokeTestHasLabels, check)
    : undefined;
  return { ...(endpoint ? { endpoint } : {}), ...(smokeTest ? { smokeTest } : {}) };
}

// The endpoint module and the SageMaker clients load only now: the deployment itself does not need them.
async function endpointInService(check: EndpointCheck): Promise<EndpointState> {
  const { waitForEndpoint } = await import('../../deploy/endpoint');
  const { SageMakerClient } = await import('@aws-sdk/client-sagemaker');
  const endpoint = await waitForEndpoint(createClient(SageMakerClient, check.clientOptions), {
    endpointName: check.endpointName,
    deadline: check.deadline,
    clock: systemClock,
    reporter: actionReporter,
    pollMs: ENDPOINT_POLL_MS,
  });
  setOutputs({ 'endpoint-status': endpoint.status });
  return endpoint;
}

async function runSmokeTest(
  source: string,
  hasLabels: boolean,
  check: EndpointCheck,
): Promise<SmokeTestResult> {
  const { readCsvRows, smokeTestEndpoint } = await import('../../deploy/endpoint');
  const { SageMakerRuntimeClient } = await import('@aws-sdk/client-sagemaker-runtime');
  const text = source.startsWith('s3://')
    ? await readS3Text(await check.s3(), source)
    : fs.readFileSync(source, 'utf8');
  const result = await smokeTestEndpoint(createClient(SageMakerRuntimeClient, check.clientOptions), {
    endpointName: check.endpointName,
    csv: readCsvRows(text, { hasLabels, source }),
  });
  core.info(
    `Smoke test: ${result.rows} rows answered${result.rmse !== undefined ? `, RMSE ${result.rmse.toFixed(4)}` : ''}`,
  );
  setOutputs({ 'smoke-test-rows': result.rows, 'smoke-test-rmse': result.rmse });
  return result;
}

/** What the summary and PR comment are written for: the inputs and the run. */
interface Reported {
  readonly inputs: DeployInputs;
  readonly context: RunContext;
}

async function report(
  reported: Reported,
  summaryInput: Parameters<typeof renderDeploySummary>[0],
): Promise<void> {
  const { inputs, context } = reported;
  // The approved-model gate passes who approved and why as stack tags; the summary shows them too.
  const approval = approvalFromTags(inputs.tags);
  const summary = renderDeploySummary({ ...summaryInput, ...(approval ? { approval } : {}) });
  await writeSummary(summary);
  await updatePrComment(
    inputs.prComment,
    { section: `deploy-endpoint-${inputs.stackName}`, content: summary, context },
    actionReporter,
  );
}
