import { Template } from 'aws-cdk-lib/assertions';

import { endpointStack, nagFindings, removeAssemblies } from './apps';

afterAll(removeAssemblies);

const MONITORING = {
  roleArn: 'arn:aws:iam::111122223333:role/monitor',
  outputS3Uri: 's3://reports-bucket/monitoring',
};

describe('the endpoint stack with the monitoring option', () => {
  it('adds no monitoring resources by default', () => {
    const template = Template.fromStack(endpointStack());
    template.resourceCountIs('AWS::SageMaker::DataQualityJobDefinition', 0);
    template.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 0);
  });

  it('adds a job definition against the baseline parameters and an hourly schedule, both when capture is on', () => {
    const template = Template.fromStack(endpointStack({ monitoring: MONITORING }));
    template.hasParameter('BaselineStatisticsS3Uri', { Type: 'String' });
    template.hasParameter('BaselineConstraintsS3Uri', { Type: 'String' });
    template.hasResource('AWS::SageMaker::DataQualityJobDefinition', {
      Condition: 'DataCaptureEnabled',
      Properties: {
        DataQualityBaselineConfig: {
          ConstraintsResource: { S3Uri: { Ref: 'BaselineConstraintsS3Uri' } },
          StatisticsResource: { S3Uri: { Ref: 'BaselineStatisticsS3Uri' } },
        },
        DataQualityJobOutputConfig: {
          MonitoringOutputs: [
            { S3Output: { S3Uri: 's3://reports-bucket/monitoring', LocalPath: '/opt/ml/processing/output' } },
          ],
        },
        RoleArn: MONITORING.roleArn,
      },
    });
    template.hasResource('AWS::SageMaker::MonitoringSchedule', {
      Condition: 'DataCaptureEnabled',
      Properties: {
        MonitoringScheduleConfig: {
          ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
          MonitoringType: 'DataQuality',
        },
      },
    });
  });

  it('has no cdk-nag findings', () => {
    expect(nagFindings(endpointStack({ monitoring: MONITORING }))).toEqual([]);
  });
});
