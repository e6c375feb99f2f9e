import { synthesizeEndpointTemplate, type EndpointTemplate } from '../../cdk-model-deploy/lib/synth';
import type { RunConfig } from './config';

/**
 * The endpoint stack for one run, from cdk-model-deploy in-process: the registry path (the approved model
 * package). Locally one instance, all traffic at once and no bake time, so a run finishes in seconds; on
 * AWS the stack's own blue/green defaults apply. Locally every request is captured (to
 * `s3://<bucket>/data-capture`), so a drift check can run on the run's own traffic (docs/monitoring.md).
 */
export function synthesizeEndpointForRun(options: {
  config: RunConfig;
  modelPackageArn: string;
}): EndpointTemplate {
  const { config } = options;
  const local = config.target === 'local';
  return synthesizeEndpointTemplate({
    modelSource: {
      kind: 'modelPackage',
      modelPackageArn: options.modelPackageArn,
      executionRoleArn: config.roleArn,
    },
    stageName: local ? 'local' : 'staging',
    ...(local
      ? {
          capacity: { kind: 'instances', instanceCount: 1, autoscaling: false },
          trafficRouting: { type: 'ALL_AT_ONCE', waitIntervalSeconds: 0 },
          terminationWaitSeconds: 0,
          dataCapture: { samplingPercentage: 100, destinationS3Uri: `s3://${config.bucket}/data-capture` },
        }
      : {}),
  });
}
