import { Match, Template } from 'aws-cdk-lib/assertions';

import { endpointStack, nagFindings, removeAssemblies } from './apps';

afterAll(removeAssemblies);

/** The resource types helper D's local CloudFormation deploys or records; anything else fails there. */
const LOCAL_CLOUDFORMATION_TYPES = new Set([
  'AWS::SageMaker::Model',
  'AWS::SageMaker::EndpointConfig',
  'AWS::SageMaker::Endpoint',
  'AWS::SageMaker::ModelPackageGroup',
  'AWS::SSM::Parameter',
  'AWS::CDK::Metadata',
  'AWS::CloudWatch::Alarm',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
]);

const resourceTypes = (template: Template) =>
  Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map(
    (resource) => resource.Type,
  );

describe('endpoint stack, default (model name from SSM, 2 instances, canary)', () => {
  const template = Template.fromStack(endpointStack({ tags: { project: 'mlops-abalone' } }));

  test('resolves the model name from the SSM parameter at deploy time', () => {
    template.hasParameter('ModelNameParameter', {
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: '/mlops/abalone/model-name',
    });
    template.resourceCountIs('AWS::SageMaker::Model', 0);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        {
          ModelName: { Ref: 'ModelNameParameter' },
          VariantName: 'AllTraffic',
          InstanceType: { Ref: 'InstanceType' },
          InitialInstanceCount: { Ref: 'InstanceCount' },
        },
      ],
    });
  });

  test('deploys blue/green with a canary and rolls back on both alarms', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect(Object.keys(alarms)).toHaveLength(2);
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: { 'Fn::Join': ['', [{ Ref: 'EndpointNamePrefix' }, '-', { Ref: 'StageName' }]] },
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'CANARY',
            CanarySize: { Type: 'CAPACITY_PERCENT', Value: 50 },
            WaitIntervalInSeconds: 300,
          },
          MaximumExecutionTimeoutInSeconds: 3600,
          TerminationWaitInSeconds: 300,
        },
        AutoRollbackConfiguration: {
          Alarms: Object.keys(alarms).map((id) => ({ AlarmName: { Ref: id } })),
        },
      },
    });
  });

  test('alarms watch invocation 5XX errors and model latency of the endpoint variant', () => {
    const dimensions = [
      { Name: 'EndpointName', Value: Match.anyValue() },
      { Name: 'VariantName', Value: 'AllTraffic' },
    ];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker',
      MetricName: 'Invocation5XXErrors',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: dimensions,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker',
      MetricName: 'ModelLatency',
      Statistic: 'Average',
      Threshold: 1_000_000,
      Dimensions: dimensions,
    });
  });

  test('captures data only when a destination is given at deploy time', () => {
    template.hasParameter('DataCaptureS3Uri', { Default: '' });
    template.hasCondition('DataCaptureEnabled', {
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'DataCaptureS3Uri' }, ''] }],
    });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: {
        'Fn::If': [
          'DataCaptureEnabled',
          Match.objectLike({ EnableCapture: true, InitialSamplingPercentage: 20 }),
          { Ref: 'AWS::NoValue' },
        ],
      },
    });
  });

  test('scales on invocations per instance between InstanceCount and MaxInstanceCount', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'sagemaker',
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      MinCapacity: { Ref: 'InstanceCount' },
      MaxCapacity: { Ref: 'MaxInstanceCount' },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 100,
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
      },
    });
  });

  test('outputs the endpoint name and ARN and tags the resources in the template', () => {
    template.hasOutput('EndpointName', { Value: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] } });
    template.hasOutput('EndpointArn', { Value: { Ref: 'Endpoint' } });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      Tags: Match.arrayWith([{ Key: 'project', Value: 'mlops-abalone' }]),
    });
  });

  test('deploys with plain CloudFormation: no bootstrap version rule, no assets, account and region agnostic', () => {
    const json = template.toJSON();
    expect(json.Rules).toBeUndefined();
    expect(Object.keys(json.Parameters)).not.toContain('BootstrapVersion');
    expect(JSON.stringify(json)).not.toMatch(/\d{12}|us-east-1"|cdk-hnb659fds/);
  });

  test('uses only resource types the local CloudFormation supports', () => {
    expect(resourceTypes(template).filter((type) => !LOCAL_CLOUDFORMATION_TYPES.has(type))).toEqual([]);
  });
});

describe('endpoint stack variants', () => {
  test('model package source: creates the model from the package with the execution role parameter', () => {
    const template = Template.fromStack(
      endpointStack({
        modelSource: {
          kind: 'modelPackage',
          modelPackageArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package/mlops-abalone/3',
        },
      }),
    );
    template.hasParameter('ModelPackageArn', {
      Default: 'arn:aws:sagemaker:us-east-1:111111111111:model-package/mlops-abalone/3',
    });
    template.hasParameter('ExecutionRoleArn', {
      Type: 'String',
      AllowedPattern: Match.stringLikeRegexp('iam'),
    });
    template.hasResourceProperties('AWS::SageMaker::Model', {
      ExecutionRoleArn: { Ref: 'ExecutionRoleArn' },
      Containers: [{ ModelPackageName: { Ref: 'ModelPackageArn' } }],
    });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] } })],
    });
  });

  test('model name source: serves an existing model given by name', () => {
    const template = Template.fromStack(
      endpointStack({ modelSource: { kind: 'modelName', modelName: 'pipelines-abc-CreateModel' } }),
    );
    template.hasParameter('ModelName', { Type: 'String', Default: 'pipelines-abc-CreateModel' });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ModelName: { Ref: 'ModelName' } })],
    });
  });

  test('serverless: memory and concurrency, no instances, no data capture, no autoscaling, still blue/green', () => {
    const template = Template.fromStack(
      endpointStack({
        capacity: { kind: 'serverless', memorySizeMb: 3072, maxConcurrency: 10 },
        trafficRouting: {
          type: 'LINEAR',
          linearStepSize: { type: 'CAPACITY_PERCENT', value: 20 },
          waitIntervalSeconds: 60,
        },
      }),
    );
    template.hasParameter('ServerlessMemorySizeInMB', { Type: 'Number', Default: 3072 });
    template.hasParameter('ServerlessMaxConcurrency', { Type: 'Number', Default: 10 });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        {
          ModelName: { Ref: 'ModelNameParameter' },
          VariantName: 'AllTraffic',
          InitialVariantWeight: 1,
          ServerlessConfig: {
            MemorySizeInMB: { Ref: 'ServerlessMemorySizeInMB' },
            MaxConcurrency: { Ref: 'ServerlessMaxConcurrency' },
          },
        },
      ],
      DataCaptureConfig: Match.absent(),
    });
    expect(Object.keys(template.toJSON().Parameters)).not.toEqual(expect.arrayContaining(['InstanceType']));
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        BlueGreenUpdatePolicy: Match.objectLike({
          TrafficRoutingConfiguration: {
            Type: 'LINEAR',
            LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 20 },
            WaitIntervalInSeconds: 60,
          },
        }),
        AutoRollbackConfiguration: {
          Alarms: [{ AlarmName: Match.anyValue() }, { AlarmName: Match.anyValue() }],
        },
      },
    });
  });

  test('autoscaling can be turned off', () => {
    const template = Template.fromStack(
      endpointStack({ capacity: { kind: 'instances', autoscaling: false } }),
    );
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    expect(Object.keys(template.toJSON().Parameters)).not.toContain('MaxInstanceCount');
  });

  test.each([
    [
      { capacity: { kind: 'serverless', memorySizeMb: 1500 } },
      /capacity.memorySizeMb is 1500; expected a multiple of 1024/,
    ],
    [
      { capacity: { kind: 'serverless', maxConcurrency: 500 } },
      /capacity.maxConcurrency is 500; expected an integer from 1 to 200/,
    ],
    [
      { trafficRouting: { type: 'CANARY', canarySize: { type: 'CAPACITY_PERCENT', value: 80 } } },
      /trafficRouting.canarySize.value is 80; expected an integer from 1 to 50/,
    ],
    [
      { trafficRouting: { type: 'LINEAR', linearStepSize: { type: 'CAPACITY_PERCENT', value: 5 } } },
      /trafficRouting.linearStepSize.value is 5; expected an integer from 10 to 50/,
    ],
    [
      {
        capacity: { kind: 'serverless' },
        trafficRouting: { type: 'CANARY', canarySize: { type: 'INSTANCE_COUNT', value: 1 } },
      },
      /serverless endpoint has no instances, expected CAPACITY_PERCENT/,
    ],
    [
      { capacity: { kind: 'instances', instanceCount: 5, autoscaling: { maxInstanceCount: 2 } } },
      /maxInstanceCount is 2; expected at least capacity.instanceCount \(5\)/,
    ],
    [
      { capacity: { kind: 'instances', instanceType: 'm5.large' } },
      /capacity.instanceType is "m5.large"; expected a SageMaker instance type/,
    ],
    [{ endpointNamePrefix: 'Abalone' }, /endpointNamePrefix is "Abalone"; expected lower-case letters/],
    [
      { dataCapture: { destinationS3Uri: 'bucket/prefix' } },
      /dataCapture.destinationS3Uri is "bucket\/prefix"; expected s3:\/\/bucket\/prefix/,
    ],
  ] as const)('rejects bad props naming the prop, value and expectation: %j', (props, message) => {
    expect(() => endpointStack(props as never)).toThrow(message);
  });
});

describe('cdk-nag AwsSolutions on the endpoint stack', () => {
  test.each([
    ['instances', {}],
    ['serverless', { capacity: { kind: 'serverless' } }],
    ['model package', { modelSource: { kind: 'modelPackage' } }],
  ] as const)('%s variant has no findings', (_name, props) => {
    expect(nagFindings(endpointStack(props))).toEqual([]);
  });
});
