import {
  Aws,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  DefaultStackSynthesizer,
  Fn,
  Stack,
  Tags,
  type IResolvable,
  type IStackSynthesizer,
} from 'aws-cdk-lib';
import { CfnScalableTarget, CfnScalingPolicy } from 'aws-cdk-lib/aws-applicationautoscaling';
import { CfnEndpoint, CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import type { Construct } from 'constructs';

import {
  MAX_PREFIX_LENGTH,
  MAX_STAGE_LENGTH,
  NAME_PART_PATTERN,
  resolveEndpointProps,
  S3_URI_PATTERN,
  VARIANT_NAME,
  type EndpointStackProps,
  type ResolvedCapacity,
  type ResolvedEndpointProps,
} from './endpoint-props';
import { DataQualityMonitoring } from './data-quality-monitoring';
import { endpointModelName } from './model-source';
import { RollbackAlarms } from './rollback-alarms';

/** The template needs nothing from the CDK bootstrap stack, so it does not check for one. */
function endpointSynthesizer(): IStackSynthesizer {
  // The cast only bridges aws-cdk-lib's declarations, which predate exactOptionalPropertyTypes.
  return new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) as IStackSynthesizer;
}

interface AutoscalingOptions {
  readonly endpointName: string;
  readonly minInstances: CfnParameter;
  readonly maxInstanceCount: number;
  readonly invocationsPerInstance: number;
}

/**
 * The SageMaker endpoint: model (from SSM, by name or from a model package) → endpoint config → endpoint
 * with a blue/green deployment that rolls back on its alarms, optional data capture and autoscaling.
 *
 * Account- and region-agnostic, and deployable with plain CloudFormation: the template has no assets and
 * no bootstrap version rule (see docs/cdk.md), and every per-environment value is a parameter, so one
 * synthesized template serves staging and production.
 */
export class EndpointStack extends Stack {
  readonly endpoint: CfnEndpoint;
  readonly endpointConfig: CfnEndpointConfig;
  readonly rollbackAlarms: RollbackAlarms;

  constructor(scope: Construct, id: string, props: EndpointStackProps = {}) {
    const { tags, ...stackProps } = props;
    super(scope, id, {
      ...stackProps,
      synthesizer: props.synthesizer ?? endpointSynthesizer(),
      description: props.description ?? 'SageMaker endpoint with blue/green deployment and alarm rollback',
    });
    const config = resolveEndpointProps(props);
    // Tags on the resources themselves, since plain CloudFormation deploys ignore CDK's stack tags.
    for (const [key, value] of Object.entries(tags ?? {})) Tags.of(this).add(key, value);
    const endpointName = this.endpointNameFrom(config);
    const modelName = endpointModelName(this, config.modelSource);
    const capacity = config.capacity;
    const sized = this.capacityParameters(capacity);
    this.endpointConfig = new CfnEndpointConfig(this, 'EndpointConfig', {
      productionVariants: [
        { modelName, variantName: VARIANT_NAME, initialVariantWeight: 1, ...sized.variant },
      ],
      // Serverless endpoints do not support data capture.
      ...(capacity.kind === 'instances' ? { dataCaptureConfig: this.dataCapture(config, endpointName) } : {}),
    });
    this.rollbackAlarms = new RollbackAlarms(this, 'RollbackAlarms', {
      endpointName,
      variantName: VARIANT_NAME,
      thresholds: config.rollbackAlarms,
    });
    this.endpoint = new CfnEndpoint(this, 'Endpoint', {
      endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      deploymentConfig: this.deploymentConfig(config),
    });
    if (props.monitoring && capacity.kind === 'instances') {
      const captureEnabled = this.node.findChild('DataCaptureEnabled') as CfnCondition;
      const monitoring = new DataQualityMonitoring(this, 'Monitoring', {
        ...props.monitoring,
        endpointName,
        captureEnabled,
      });
      monitoring.schedule.addDependency(this.endpoint);
    }
    if (capacity.kind === 'instances' && capacity.autoscaling && sized.instanceCount) {
      this.addAutoscaling({ ...capacity.autoscaling, endpointName, minInstances: sized.instanceCount });
    }
    new CfnOutput(this, 'EndpointName', {
      value: this.endpoint.attrEndpointName,
      description: 'SageMaker endpoint name',
    });
    new CfnOutput(this, 'EndpointArn', { value: this.endpoint.ref, description: 'SageMaker endpoint ARN' });
  }

  private endpointNameFrom(config: ResolvedEndpointProps): string {
    const prefix = new CfnParameter(this, 'EndpointNamePrefix', {
      type: 'String',
      default: config.endpointNamePrefix,
      allowedPattern: NAME_PART_PATTERN,
      maxLength: MAX_PREFIX_LENGTH,
      description: 'First part of the endpoint name <prefix>-<stage> (lower case)',
    });
    const stage = new CfnParameter(this, 'StageName', {
      type: 'String',
      default: config.stageName,
      allowedPattern: NAME_PART_PATTERN,
      maxLength: MAX_STAGE_LENGTH,
      description: 'Deployment stage, e.g. staging or production; the endpoint is named <prefix>-<stage>',
    });
    return `${prefix.valueAsString}-${stage.valueAsString}`;
  }

  /** The variant's sizing as template parameters; the instance count also bounds autoscaling. */
  private capacityParameters(capacity: ResolvedCapacity): {
    variant: Partial<CfnEndpointConfig.ProductionVariantProperty>;
    instanceCount?: CfnParameter;
  } {
    if (capacity.kind === 'serverless')
      return { variant: { serverlessConfig: this.serverlessConfig(capacity) } };
    const { type, count } = this.instanceParameters(capacity);
    return {
      variant: { instanceType: type.valueAsString, initialInstanceCount: count.valueAsNumber },
      instanceCount: count,
    };
  }

  private serverlessConfig(
    capacity: Extract<ResolvedCapacity, { kind: 'serverless' }>,
  ): CfnEndpointConfig.ServerlessConfigProperty {
    const memory = new CfnParameter(this, 'ServerlessMemorySizeInMB', {
      type: 'Number',
      default: capacity.memorySizeMb,
      allowedValues: ['1024', '2048', '3072', '4096', '5120', '6144'],
      description: 'Memory of the serverless endpoint in MB',
    });
    const concurrency = new CfnParameter(this, 'ServerlessMaxConcurrency', {
      type: 'Number',
      default: capacity.maxConcurrency,
      minValue: 1,
      maxValue: 200,
      description: 'Maximum concurrent invocations of the serverless endpoint',
    });
    return { memorySizeInMb: memory.valueAsNumber, maxConcurrency: concurrency.valueAsNumber };
  }

  private instanceParameters(capacity: Extract<ResolvedCapacity, { kind: 'instances' }>) {
    const type = new CfnParameter(this, 'InstanceType', {
      type: 'String',
      default: capacity.instanceType,
      allowedPattern: '^ml\\.[a-z0-9-]+\\.[a-z0-9]+$',
      description: 'SageMaker instance type of the endpoint',
    });
    const count = new CfnParameter(this, 'InstanceCount', {
      type: 'Number',
      default: capacity.instanceCount,
      minValue: 1,
      description: 'Initial (and, with autoscaling, minimum) number of instances',
    });
    return { type, count };
  }

  /** Capture is on when a destination is given at deploy time; the parameter's empty default leaves it off. */
  private dataCapture(config: ResolvedEndpointProps, endpointName: string): IResolvable {
    const destination = new CfnParameter(this, 'DataCaptureS3Uri', {
      type: 'String',
      default: config.dataCapture.destinationS3Uri,
      allowedPattern: S3_URI_PATTERN,
      description: `s3:// URI for captured requests and responses (${config.dataCapture.samplingPercentage}% sampled); empty turns capture off`,
    });
    const enabled = new CfnCondition(this, 'DataCaptureEnabled', {
      expression: Fn.conditionNot(Fn.conditionEquals(destination.valueAsString, '')),
    });
    // Inside Fn::If the L1 property mapping does not apply, so the keys are CloudFormation's own.
    return Fn.conditionIf(
      enabled.logicalId,
      {
        EnableCapture: true,
        InitialSamplingPercentage: config.dataCapture.samplingPercentage,
        DestinationS3Uri: `${destination.valueAsString}/${endpointName}`,
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        // CSV requests are captured as CSV text, which Model Monitor's analyzer reads; others as BASE64.
        CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json'] },
      },
      Aws.NO_VALUE,
    );
  }

  private deploymentConfig(config: ResolvedEndpointProps): CfnEndpoint.DeploymentConfigProperty {
    const routing = config.trafficRouting;
    const stepSize = routing.stepSize && { type: routing.stepSize.type, value: routing.stepSize.value };
    return {
      blueGreenUpdatePolicy: {
        trafficRoutingConfiguration: {
          type: routing.type,
          waitIntervalInSeconds: routing.waitIntervalSeconds,
          ...(routing.type === 'CANARY' ? { canarySize: stepSize } : {}),
          ...(routing.type === 'LINEAR' ? { linearStepSize: stepSize } : {}),
        },
        maximumExecutionTimeoutInSeconds: config.maximumExecutionTimeoutSeconds,
        terminationWaitInSeconds: config.terminationWaitSeconds,
      },
      autoRollbackConfiguration: {
        alarms: this.rollbackAlarms.alarms.map((alarm) => ({ alarmName: alarm.alarmName })),
      },
    };
  }

  private addAutoscaling(options: AutoscalingOptions) {
    const maxInstances = new CfnParameter(this, 'MaxInstanceCount', {
      type: 'Number',
      default: options.maxInstanceCount,
      minValue: 1,
      description: 'Upper bound of autoscaling (at least InstanceCount)',
    });
    // No RoleARN: Application Auto Scaling uses its service-linked role for SageMaker endpoints.
    const target = new CfnScalableTarget(this, 'ScalableTarget', {
      serviceNamespace: 'sagemaker',
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      resourceId: `endpoint/${this.endpoint.attrEndpointName}/variant/${VARIANT_NAME}`,
      minCapacity: options.minInstances.valueAsNumber,
      maxCapacity: maxInstances.valueAsNumber,
    });
    new CfnScalingPolicy(this, 'InvocationsScalingPolicy', {
      policyName: `${options.endpointName}-invocations-per-instance`,
      policyType: 'TargetTrackingScaling',
      scalingTargetId: target.ref,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: options.invocationsPerInstance,
        predefinedMetricSpecification: { predefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
      },
    });
  }
}
