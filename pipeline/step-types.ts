/**
 * What the service knows about each step type: the properties a `{"Get": "Steps.<name>.<property>..."}`
 * may start with (the members of the Describe* response the step's properties follow, as in the
 * SageMaker Python SDK) and the list of names a step declares itself (processing outputs, Lambda and
 * Callback output parameters). The validator checks references against it.
 */
export interface StepTypeInfo {
  /** The service shape the properties follow, for messages. */
  readonly shape: string;
  readonly properties: readonly string[];
  /** Arguments members the service's Create* request requires. */
  readonly requiredArguments?: readonly string[];
  /** Step members beyond the common ones; 'any' where the SDK adds members not modelled here. */
  readonly members?: readonly string[] | 'any';
}

const TRAINING_JOB = [
  'TrainingJobName',
  'TrainingJobArn',
  'TuningJobArn',
  'LabelingJobArn',
  'AutoMLJobArn',
  'ModelArtifacts',
  'TrainingJobStatus',
  'SecondaryStatus',
  'FailureReason',
  'HyperParameters',
  'AlgorithmSpecification',
  'RoleArn',
  'InputDataConfig',
  'OutputDataConfig',
  'ResourceConfig',
  'WarmPoolStatus',
  'VpcConfig',
  'StoppingCondition',
  'CreationTime',
  'TrainingStartTime',
  'TrainingEndTime',
  'LastModifiedTime',
  'SecondaryStatusTransitions',
  'FinalMetricDataList',
  'EnableNetworkIsolation',
  'EnableInterContainerTrafficEncryption',
  'EnableManagedSpotTraining',
  'CheckpointConfig',
  'TrainingTimeInSeconds',
  'BillableTimeInSeconds',
  'DebugHookConfig',
  'ExperimentConfig',
  'DebugRuleConfigurations',
  'TensorBoardOutputConfig',
  'DebugRuleEvaluationStatuses',
  'ProfilerConfig',
  'ProfilerRuleConfigurations',
  'ProfilerRuleEvaluationStatuses',
  'ProfilingStatus',
  'Environment',
  'RetryStrategy',
  'RemoteDebugConfig',
  'InfraCheckConfig',
] as const;

const PROCESSING_JOB = [
  'ProcessingInputs',
  'ProcessingOutputConfig',
  'ProcessingJobName',
  'ProcessingResources',
  'StoppingCondition',
  'AppSpecification',
  'Environment',
  'NetworkConfig',
  'RoleArn',
  'ExperimentConfig',
  'ProcessingJobArn',
  'ProcessingJobStatus',
  'ExitMessage',
  'FailureReason',
  'ProcessingEndTime',
  'ProcessingStartTime',
  'LastModifiedTime',
  'CreationTime',
  'MonitoringScheduleArn',
  'AutoMLJobArn',
  'TrainingJobArn',
] as const;

const MODEL = [
  'ModelName',
  'PrimaryContainer',
  'Containers',
  'InferenceExecutionConfig',
  'ExecutionRoleArn',
  'VpcConfig',
  'CreationTime',
  'ModelArn',
  'EnableNetworkIsolation',
  'DeploymentRecommendation',
] as const;

const MODEL_PACKAGE = [
  'ModelPackageName',
  'ModelPackageGroupName',
  'ModelPackageVersion',
  'ModelPackageArn',
  'ModelPackageDescription',
  'CreationTime',
  'InferenceSpecification',
  'SourceAlgorithmSpecification',
  'ValidationSpecification',
  'ModelPackageStatus',
  'ModelPackageStatusDetails',
  'CertifyForMarketplace',
  'ModelApprovalStatus',
  'CreatedBy',
  'MetadataProperties',
  'ModelMetrics',
  'LastModifiedTime',
  'LastModifiedBy',
  'ApprovalDescription',
  'Domain',
  'Task',
  'SamplePayloadUrl',
  'CustomerMetadataProperties',
  'DriftCheckBaselines',
  'AdditionalInferenceSpecifications',
  'SkipModelValidation',
  'SourceUri',
] as const;

const TRANSFORM_JOB = [
  'TransformJobName',
  'TransformJobArn',
  'TransformJobStatus',
  'FailureReason',
  'ModelName',
  'MaxConcurrentTransforms',
  'ModelClientConfig',
  'MaxPayloadInMB',
  'BatchStrategy',
  'Environment',
  'TransformInput',
  'TransformOutput',
  'DataCaptureConfig',
  'TransformResources',
  'CreationTime',
  'TransformStartTime',
  'TransformEndTime',
  'LabelingJobArn',
  'AutoMLJobArn',
  'DataProcessing',
  'ExperimentConfig',
] as const;

const TUNING_JOB = [
  'HyperParameterTuningJobName',
  'HyperParameterTuningJobArn',
  'HyperParameterTuningJobConfig',
  'TrainingJobDefinition',
  'TrainingJobDefinitions',
  'HyperParameterTuningJobStatus',
  'CreationTime',
  'HyperParameterTuningEndTime',
  'LastModifiedTime',
  'TrainingJobStatusCounters',
  'ObjectiveStatusCounters',
  'BestTrainingJob',
  'OverallBestTrainingJob',
  'WarmStartConfig',
  'Autotune',
  'FailureReason',
  'TuningJobCompletionDetails',
  'ConsumedResources',
  // ListTrainingJobsForHyperParameterTuningJob, which the SDK merges into a Tuning step's properties.
  'TrainingJobSummaries',
] as const;

const AUTOML_JOB = [
  'AutoMLJobName',
  'AutoMLJobArn',
  'InputDataConfig',
  'OutputDataConfig',
  'RoleArn',
  'AutoMLJobObjective',
  'ProblemType',
  'AutoMLJobConfig',
  'CreationTime',
  'EndTime',
  'LastModifiedTime',
  'FailureReason',
  'PartialFailureReasons',
  'BestCandidate',
  'AutoMLJobStatus',
  'AutoMLJobSecondaryStatus',
  'GenerateCandidateDefinitionsOnly',
  'AutoMLJobArtifacts',
  'ResolvedAttributes',
  'ModelDeployConfig',
  'ModelDeployResult',
] as const;

export const STEP_TYPES: Readonly<Record<string, StepTypeInfo>> = {
  Processing: {
    shape: 'DescribeProcessingJobResponse',
    properties: PROCESSING_JOB,
    requiredArguments: ['ProcessingResources', 'AppSpecification', 'RoleArn'],
    members: ['PropertyFiles'],
  },
  Training: {
    shape: 'DescribeTrainingJobResponse',
    properties: TRAINING_JOB,
    requiredArguments: ['RoleArn', 'OutputDataConfig'],
  },
  Model: { shape: 'DescribeModelOutput', properties: MODEL },
  RegisterModel: { shape: 'DescribeModelPackageOutput', properties: MODEL_PACKAGE },
  Transform: {
    shape: 'DescribeTransformJobResponse',
    properties: TRANSFORM_JOB,
    requiredArguments: ['ModelName', 'TransformInput', 'TransformOutput', 'TransformResources'],
  },
  Tuning: { shape: 'DescribeHyperParameterTuningJobResponse', properties: TUNING_JOB },
  AutoML: { shape: 'DescribeAutoMLJobResponse', properties: AUTOML_JOB },
  Condition: { shape: 'condition step properties', properties: ['Outcome'] },
  Fail: { shape: 'fail step (no properties)', properties: [] },
  Lambda: {
    shape: 'lambda step properties',
    properties: ['OutputParameters'],
    members: ['FunctionArn', 'OutputParameters'],
  },
  Callback: {
    shape: 'callback step properties',
    properties: ['OutputParameters'],
    members: ['SqsQueueUrl', 'OutputParameters'],
  },
  QualityCheck: {
    shape: 'QualityCheckStepMetadata',
    members: 'any',
    properties: [
      'CalculatedBaselineConstraints',
      'CalculatedBaselineStatistics',
      'BaselineUsedForDriftCheckStatistics',
      'BaselineUsedForDriftCheckConstraints',
    ],
  },
  ClarifyCheck: {
    shape: 'ClarifyCheckStepMetadata',
    members: 'any',
    properties: ['CalculatedBaselineConstraints', 'BaselineUsedForDriftCheckConstraints'],
  },
  EMR: {
    shape: 'EMR DescribeStep Step',
    members: 'any',
    properties: ['Id', 'Name', 'Config', 'ActionOnFailure', 'Status', 'ExecutionRoleArn'],
  },
};

export const STEP_TYPE_NAMES = Object.keys(STEP_TYPES);

export function stepTypeInfo(type: string): StepTypeInfo | undefined {
  return Object.hasOwn(STEP_TYPES, type) ? STEP_TYPES[type] : undefined;
}
