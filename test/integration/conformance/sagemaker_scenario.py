"""SageMaker and SageMaker Runtime through every implemented operation, on resources that need little work:
a pipeline training XGBoost on 30 rows (Training → Model → Transform), a processing job printing a line,
an endpoint of the trained model with data capture, a monitoring schedule that never fires during the run.

`first_steps` starts the slow parts (the execution, the processing job); `last_steps` runs after the other
services' scenarios, when they are done."""
import datetime
import json

from steps import Call, Until, Wait

ROLE = "arn:aws:iam::000000000000:role/conformance"
XGBOOST = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
SKLEARN = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
ANALYZER = "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"
TRAIN_CSV = "\n".join(f"{(i % 7) * 1.5},{i % 5},{i % 3},{i * 0.1:.1f}" for i in range(30)) + "\n"
FEATURES_CSV = "\n".join(f"{i % 5},{i % 3},{i * 0.1:.1f}" for i in range(5)) + "\n"
CLUSTER = {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 1}


def _definition(bucket):
    train = {
        "Name": "Train", "Type": "Training", "Arguments": {
            "AlgorithmSpecification": {"TrainingImage": XGBOOST, "TrainingInputMode": "File"},
            "RoleArn": ROLE,
            "InputDataConfig": [{"ChannelName": "train", "ContentType": "text/csv", "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": f"s3://{bucket}/train/", "S3DataDistributionType": "FullyReplicated"}}}],
            "OutputDataConfig": {"S3OutputPath": f"s3://{bucket}/model"},
            "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
            "StoppingCondition": {"MaxRuntimeInSeconds": 300},
            "HyperParameters": {"num_round": {"Get": "Parameters.Rounds"}, "objective": "reg:squarederror"}}}
    model = {
        "Name": "Model", "Type": "Model", "Arguments": {
            "ExecutionRoleArn": ROLE,
            "PrimaryContainer": {"Image": XGBOOST, "ModelDataUrl": {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"}}}}
    transform = {
        "Name": "Score", "Type": "Transform", "Arguments": {
            "ModelName": {"Get": "Steps.Model.ModelName"},
            "TransformInput": {"ContentType": "text/csv", "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": f"s3://{bucket}/features/"}}},
            "TransformOutput": {"S3OutputPath": f"s3://{bucket}/scores"},
            "TransformResources": {"InstanceType": "ml.m5.large", "InstanceCount": 1}}}
    return json.dumps({"Version": "2020-12-01",
                       "Parameters": [{"Name": "Rounds", "Type": "String", "DefaultValue": "2"}],
                       "Steps": [train, model, transform]})


def _step_job(seen, step, kind):
    steps = seen["ListPipelineExecutionSteps"]["PipelineExecutionSteps"]
    arn = next(s for s in steps if s["StepName"] == step)["Metadata"][kind]["Arn"]
    return arn.split("/")[-1]


def first_steps(prefix):
    bucket, pipeline = f"{prefix}-sagemaker", f"{prefix}-pipeline"
    group, arn = f"{prefix}-group", f"arn:aws:sagemaker:us-east-1:000000000000:pipeline/{prefix}-pipeline"
    processing = {
        "ProcessingJobName": f"{prefix}-processing", "RoleArn": ROLE,
        "AppSpecification": {"ImageUri": SKLEARN, "ContainerEntrypoint": ["python3", "/opt/ml/processing/input/code/job.py"]},
        "ProcessingResources": {"ClusterConfig": CLUSTER}, "Environment": {"MODE": "conformance"},
        "ProcessingInputs": [{"InputName": "code", "S3Input": {
            "S3Uri": f"s3://{bucket}/code/job.py", "LocalPath": "/opt/ml/processing/input/code",
            "S3DataType": "S3Prefix", "S3InputMode": "File"}}],
        "StoppingCondition": {"MaxRuntimeInSeconds": 300}}
    execution = lambda seen: {"PipelineExecutionArn": seen["StartPipelineExecution"]["PipelineExecutionArn"]}
    return [
        Call("s3", "CreateBucket", {"Bucket": bucket}),
        Call("s3", "PutObject", {"Bucket": bucket, "Key": "train/train.csv", "Body": TRAIN_CSV.encode()}),
        Call("s3", "PutObject", {"Bucket": bucket, "Key": "features/rows.csv", "Body": FEATURES_CSV.encode()}),
        Call("s3", "PutObject", {"Bucket": bucket, "Key": "code/job.py", "Body": b"print('conformance')\n"}),
        Call("sagemaker", "CreatePipeline", {"PipelineName": pipeline, "RoleArn": ROLE, "ClientRequestToken": "c" * 32,
                                             "PipelineDefinition": _definition(bucket)}),
        Call("sagemaker", "StartPipelineExecution", {"PipelineName": pipeline, "ClientRequestToken": "s" * 32,
                                                     "PipelineParameters": [{"Name": "Rounds", "Value": "3"}]}),
        Call("sagemaker", "CreateProcessingJob", processing),
        Call("sagemaker", "DescribePipeline", {"PipelineName": pipeline}),
        Call("sagemaker", "UpdatePipeline", {"PipelineName": pipeline, "PipelineDescription": "conformance"}),
        Call("sagemaker", "ListPipelines", {"PipelineNamePrefix": prefix}),
        Call("sagemaker", "DescribePipelineExecution", execution),
        Call("sagemaker", "DescribePipelineDefinitionForExecution", execution),
        Call("sagemaker", "ListPipelineParametersForExecution", execution),
        Call("sagemaker", "AddTags", {"ResourceArn": arn, "Tags": [{"Key": "k", "Value": "v"}, {"Key": "j", "Value": "w"}]}),
        Call("sagemaker", "ListTags", {"ResourceArn": arn}),
        Call("sagemaker", "DeleteTags", {"ResourceArn": arn, "TagKeys": ["k"]}),
        Call("sagemaker", "CreateModelPackageGroup", {"ModelPackageGroupName": group}),
        Call("sagemaker", "DescribeModelPackageGroup", {"ModelPackageGroupName": group}),
        Call("sagemaker", "ListModelPackageGroups", {"NameContains": prefix}),
        Call("sagemaker", "DescribeProcessingJob", {"ProcessingJobName": f"{prefix}-processing"}),
    ]


def _endpoint_config(name, model, bucket):
    return {"EndpointConfigName": name,
            "ProductionVariants": [{"VariantName": "AllTraffic", "ModelName": model, "InitialInstanceCount": 1,
                                    "InstanceType": "ml.m5.large"}],
            "DataCaptureConfig": {"EnableCapture": True, "InitialSamplingPercentage": 100,
                                  "DestinationS3Uri": f"s3://{bucket}/capture",
                                  "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}]}}


def _monitoring(prefix, endpoint, bucket):
    definition, schedule = f"{prefix}-quality", f"{prefix}-schedule"
    # Hours away from now, so no run starts while the scenario holds the schedule.
    hour = (datetime.datetime.now(datetime.timezone.utc).hour + 6) % 24
    config = {"ScheduleConfig": {"ScheduleExpression": f"cron(0 {hour} ? * * *)"},
              "MonitoringJobDefinitionName": definition, "MonitoringType": "DataQuality"}
    return [
        Call("sagemaker", "CreateDataQualityJobDefinition", {
            "JobDefinitionName": definition, "RoleArn": ROLE,
            "DataQualityAppSpecification": {"ImageUri": ANALYZER},
            "DataQualityJobInput": {"EndpointInput": {"EndpointName": endpoint, "LocalPath": "/opt/ml/processing/input/endpoint"}},
            "DataQualityJobOutputConfig": {"MonitoringOutputs": [{"S3Output": {
                "S3Uri": f"s3://{bucket}/reports", "LocalPath": "/opt/ml/processing/output"}}]},
            "JobResources": {"ClusterConfig": CLUSTER}}),
        Call("sagemaker", "DescribeDataQualityJobDefinition", {"JobDefinitionName": definition}),
        Call("sagemaker", "ListDataQualityJobDefinitions", {"EndpointName": endpoint}),
        Call("sagemaker", "CreateMonitoringSchedule", {"MonitoringScheduleName": schedule, "MonitoringScheduleConfig": config}),
        Call("sagemaker", "DescribeMonitoringSchedule", {"MonitoringScheduleName": schedule}),
        Call("sagemaker", "ListMonitoringSchedules", {"EndpointName": endpoint}),
        Call("sagemaker", "UpdateMonitoringSchedule", {"MonitoringScheduleName": schedule, "MonitoringScheduleConfig": {
            **config, "ScheduleConfig": {"ScheduleExpression": f"cron(0 {hour}/12 ? * * *)"}}}),
        Call("sagemaker", "StopMonitoringSchedule", {"MonitoringScheduleName": schedule}),
        Call("sagemaker", "StartMonitoringSchedule", {"MonitoringScheduleName": schedule}),
        Call("sagemaker", "ListMonitoringExecutions", {"MonitoringScheduleName": schedule}),
        Call("sagemaker", "DeleteMonitoringSchedule", {"MonitoringScheduleName": schedule}),
        Call("sagemaker", "DeleteDataQualityJobDefinition", {"JobDefinitionName": definition}),
    ]


def _model_packages(prefix, bucket):
    group = f"{prefix}-group"
    package = lambda seen: {"ModelPackageName": seen["CreateModelPackage"]["ModelPackageArn"]}
    return [
        Call("sagemaker", "CreateModelPackage", lambda seen: {
            "ModelPackageGroupName": group, "ModelApprovalStatus": "PendingManualApproval",
            "InferenceSpecification": {"Containers": [{"Image": XGBOOST, "ModelDataUrl": seen["DescribeTrainingJob"]["ModelArtifacts"]["S3ModelArtifacts"]}],
                                       "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]}}),
        Call("sagemaker", "DescribeModelPackage", package),
        Call("sagemaker", "ListModelPackages", {"ModelPackageGroupName": group}),
        Call("sagemaker", "UpdateModelPackage", lambda seen: {
            "ModelPackageArn": seen["CreateModelPackage"]["ModelPackageArn"], "ModelApprovalStatus": "Approved"}),
        Call("sagemaker", "DeleteModelPackage", package),
        Call("sagemaker", "DeleteModelPackageGroup", {"ModelPackageGroupName": group}),
    ]


def last_steps(prefix, kept_endpoint=None):
    bucket, pipeline = f"{prefix}-sagemaker", f"{prefix}-pipeline"
    model, endpoint = f"{prefix}-model", f"{prefix}-endpoint"
    execution = lambda seen: {"PipelineExecutionArn": seen["StartPipelineExecution"]["PipelineExecutionArn"]}
    return [
        Until("sagemaker", "DescribePipelineExecution", execution,
              lambda answer: answer["PipelineExecutionStatus"] not in ("Executing", "Stopping")),
        Call("sagemaker", "ListPipelineExecutionSteps", execution),
        Wait("sagemaker", "training_job_completed_or_stopped", lambda seen: {"TrainingJobName": _step_job(seen, "Train", "TrainingJob")}),
        Call("sagemaker", "DescribeTrainingJob", lambda seen: {"TrainingJobName": _step_job(seen, "Train", "TrainingJob")}),
        Wait("sagemaker", "transform_job_completed_or_stopped", lambda seen: {"TransformJobName": _step_job(seen, "Score", "TransformJob")}),
        Call("sagemaker", "DescribeTransformJob", lambda seen: {"TransformJobName": _step_job(seen, "Score", "TransformJob")}),
        Wait("sagemaker", "processing_job_completed_or_stopped", {"ProcessingJobName": f"{prefix}-processing"}),
        Call("sagemaker", "ListProcessingJobs", {"NameContains": prefix}),
        Call("sagemaker", "ListTrainingJobs", {"StatusEquals": "Completed"}),
        Call("sagemaker", "ListTransformJobs", {"StatusEquals": "Completed"}),
        Call("sagemaker", "CreateModel", lambda seen: {
            "ModelName": model, "ExecutionRoleArn": ROLE,
            "PrimaryContainer": {"Image": XGBOOST, "ModelDataUrl": seen["DescribeTrainingJob"]["ModelArtifacts"]["S3ModelArtifacts"]}}),
        Call("sagemaker", "DescribeModel", {"ModelName": model}),
        Call("sagemaker", "CreateEndpointConfig", _endpoint_config(f"{prefix}-config", model, bucket)),
        Call("sagemaker", "CreateEndpoint", {"EndpointName": endpoint, "EndpointConfigName": f"{prefix}-config"}),
        Wait("sagemaker", "endpoint_in_service", {"EndpointName": endpoint}),
        Call("sagemaker-runtime", "InvokeEndpoint", {"EndpointName": endpoint, "ContentType": "text/csv", "Body": b"1,2,0.3"}),
        Call("sagemaker", "DescribeEndpoint", {"EndpointName": endpoint}),
        Call("sagemaker", "CreateEndpointConfig", _endpoint_config(f"{prefix}-config-2", model, bucket)),
        Call("sagemaker", "DescribeEndpointConfig", {"EndpointConfigName": f"{prefix}-config-2"}),
        Call("sagemaker", "ListEndpointConfigs", {"NameContains": prefix}),
        Call("sagemaker", "UpdateEndpoint", {"EndpointName": endpoint, "EndpointConfigName": f"{prefix}-config-2"}),
        Wait("sagemaker", "endpoint_in_service", {"EndpointName": endpoint}),
        Call("sagemaker", "ListEndpoints", {"NameContains": prefix}),
        *_monitoring(prefix, endpoint, bucket),
        *_model_packages(prefix, bucket),
        Call("sagemaker", "StartPipelineExecution", {"PipelineName": pipeline}),
        Call("sagemaker", "StopPipelineExecution", lambda seen: {**execution(seen), "ClientRequestToken": "t" * 32}),
        Until("sagemaker", "DescribePipelineExecution", execution,
              lambda answer: answer["PipelineExecutionStatus"] not in ("Executing", "Stopping")),
        # Lists of two or more, so their paginators turn pages.
        Call("sagemaker", "ListPipelineExecutions", {"PipelineName": pipeline}),
        Call("sagemaker", "DeleteEndpoint", {"EndpointName": endpoint}),
        Wait("sagemaker", "endpoint_deleted", {"EndpointName": endpoint}),
        Call("sagemaker", "DeleteEndpointConfig", {"EndpointConfigName": f"{prefix}-config"}),
        Call("sagemaker", "CreateModel", lambda seen: {
            "ModelName": f"{prefix}-spare", "ExecutionRoleArn": ROLE, "PrimaryContainer": {
                "Image": XGBOOST, "ModelDataUrl": seen["DescribeTrainingJob"]["ModelArtifacts"]["S3ModelArtifacts"]}}),
        Call("sagemaker", "ListModels", {"NameContains": prefix}),
        Call("sagemaker", "DeleteModel", {"ModelName": f"{prefix}-spare"}),
        Call("sagemaker", "DeletePipeline", {"PipelineName": pipeline, "ClientRequestToken": "d" * 32}),
        *_kept_endpoint(kept_endpoint, f"{prefix}-config-2"),
    ]


def _kept_endpoint(name, config):
    """An endpoint left in service for the AWS CLIs' `aws sagemaker wait endpoint-in-service`."""
    if not name:
        return []
    return [Call("sagemaker", "CreateEndpoint", {"EndpointName": name, "EndpointConfigName": config}),
            Wait("sagemaker", "endpoint_in_service", {"EndpointName": name})]
