import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

import type { RollbackAlarmProps } from './endpoint-props';

export interface RollbackAlarmsProps {
  readonly endpointName: string;
  readonly variantName: string;
  readonly thresholds: Required<RollbackAlarmProps>;
}

/**
 * The CloudWatch alarms a blue/green deployment watches while it bakes: any of them in ALARM rolls all
 * traffic back to the old fleet.
 */
export class RollbackAlarms extends Construct {
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: RollbackAlarmsProps) {
    super(scope, id);
    const dimensionsMap = { EndpointName: props.endpointName, VariantName: props.variantName };
    const metric = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/SageMaker',
        metricName,
        dimensionsMap,
        statistic,
        period: Duration.minutes(1),
      });
    const common = {
      evaluationPeriods: props.thresholds.evaluationMinutes,
      datapointsToAlarm: props.thresholds.evaluationMinutes,
      // No traffic is no evidence of a bad model; only errors and slow answers are.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };
    this.alarms = [
      new Alarm(this, 'Invocation5xxErrors', {
        ...common,
        alarmName: `${props.endpointName}-invocation-5xx-errors`,
        alarmDescription: 'Rolls a deployment back when the endpoint answers with 5XX errors',
        metric: metric('Invocation5XXErrors', 'Sum'),
        threshold: props.thresholds.invocation5xxErrors,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      }),
      new Alarm(this, 'ModelLatency', {
        ...common,
        alarmName: `${props.endpointName}-model-latency`,
        alarmDescription: 'Rolls a deployment back when the model answers slowly',
        // ModelLatency is reported in microseconds.
        metric: metric('ModelLatency', 'Average'),
        threshold: props.thresholds.modelLatencyMs * 1000,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    ];
  }
}
