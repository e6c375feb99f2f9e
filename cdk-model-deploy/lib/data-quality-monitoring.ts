import { CfnCondition, CfnParameter, Fn } from 'aws-cdk-lib';
import { CfnDataQualityJobDefinition, CfnMonitoringSchedule } from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';

export interface DataQualityMonitoringProps {
  /** Role the monitoring jobs run as. */
  readonly roleArn: string;
  /** `s3://bucket/prefix` for the monitoring reports. */
  readonly outputS3Uri: string;
  /** The analyzer image; default Model Monitor's `sagemaker-model-monitor-analyzer` of the stack's region. */
  readonly imageUri?: string;
  /** Default hourly: `cron(0 * ? * * *)`. */
  readonly scheduleExpression?: string;
}

/**
 * Model Monitor's data-quality monitoring of the endpoint: a job definition against the model package's
 * baseline (the BaselineStatisticsS3Uri / BaselineConstraintsS3Uri parameters, from its DriftCheckBaselines)
 * and an hourly schedule. Created only when capture is on (`captureEnabled`): monitoring reads the capture.
 */
export class DataQualityMonitoring extends Construct {
  readonly schedule: CfnMonitoringSchedule;

  constructor(
    scope: Construct,
    id: string,
    props: DataQualityMonitoringProps & { endpointName: string; captureEnabled: CfnCondition },
  ) {
    super(scope, id);
    const baseline = (name: string, file: string) =>
      new CfnParameter(scope, name, {
        type: 'String',
        allowedPattern: '^s3://[a-z0-9.-]{3,63}/.+$',
        description: `s3:// URI of the baseline's ${file} (the model package's DriftCheckBaselines.ModelDataQuality)`,
      }).valueAsString;
    const name = Fn.join('-', [props.endpointName, 'data-quality']);
    const definition = new CfnDataQualityJobDefinition(this, 'JobDefinition', {
      jobDefinitionName: name,
      dataQualityAppSpecification: {
        imageUri:
          props.imageUri ??
          Fn.sub('156813124566.dkr.ecr.${AWS::Region}.amazonaws.com/sagemaker-model-monitor-analyzer'),
      },
      dataQualityBaselineConfig: {
        constraintsResource: { s3Uri: baseline('BaselineConstraintsS3Uri', 'constraints.json') },
        statisticsResource: { s3Uri: baseline('BaselineStatisticsS3Uri', 'statistics.json') },
      },
      dataQualityJobInput: {
        endpointInput: { endpointName: props.endpointName, localPath: '/opt/ml/processing/input/endpoint' },
      },
      dataQualityJobOutputConfig: {
        monitoringOutputs: [
          { s3Output: { s3Uri: props.outputS3Uri, localPath: '/opt/ml/processing/output' } },
        ],
      },
      jobResources: { clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.large', volumeSizeInGb: 20 } },
      roleArn: props.roleArn,
      stoppingCondition: { maxRuntimeInSeconds: 1800 },
    });
    this.schedule = new CfnMonitoringSchedule(this, 'Schedule', {
      monitoringScheduleName: name,
      monitoringScheduleConfig: {
        scheduleConfig: { scheduleExpression: props.scheduleExpression ?? 'cron(0 * ? * * *)' },
        monitoringJobDefinitionName: name,
        monitoringType: 'DataQuality',
      },
    });
    this.schedule.addDependency(definition);
    for (const resource of [definition, this.schedule]) resource.cfnOptions.condition = props.captureEnabled;
  }
}
