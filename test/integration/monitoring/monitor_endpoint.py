"""Model Monitor end to end through boto3 on the local AWS: a baseline by CreateProcessingJob on the analyzer
image, two capturing endpoints, bad schedules refused, an empty window failed, normal traffic Completed and
traffic with two features shifted CompletedWithViolations. Prints what the test checks as JSON."""
import json
import sys
import time

import boto3
import botocore.exceptions

endpoint_url, model_name, rows_file = sys.argv[1:4]
options = dict(endpoint_url=endpoint_url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
sagemaker = boto3.client("sagemaker", **options)
runtime = boto3.client("sagemaker-runtime", **options)
s3 = boto3.client("s3", **options)
rows = [row for row in open(rows_file).read().split("\n") if row]
ANALYZER = "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"
ROLE = "arn:aws:iam::000000000000:role/monitor"
CLUSTER = {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20}
out = {}


def wait(read, done, timeout=120):
    deadline = time.time() + timeout
    while True:
        value = read()
        if done(value) or time.time() > deadline:
            return value
        time.sleep(0.2)


def error_of(call):
    try:
        call()
    except botocore.exceptions.ClientError as error:
        return {"code": error.response["Error"]["Code"], "message": error.response["Error"]["Message"]}
    return None


def s3_json(uri):
    bucket, key = uri[len("s3://"):].split("/", 1)
    return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def run_now(schedule, config):
    sagemaker.create_monitoring_schedule(MonitoringScheduleName=schedule, MonitoringScheduleConfig={
        "ScheduleConfig": {"ScheduleExpression": "NOW", "DataAnalysisStartTime": "-PT1H", "DataAnalysisEndTime": "-PT0H"}, **config})
    executions = wait(lambda: sagemaker.list_monitoring_executions(MonitoringScheduleName=schedule)["MonitoringExecutionSummaries"],
                      lambda found: found and found[0]["MonitoringExecutionStatus"] not in ("Pending", "InProgress"))
    execution = executions[0]
    job = sagemaker.describe_processing_job(ProcessingJobName=execution["ProcessingJobArn"].split("/")[-1]) if "ProcessingJobArn" in execution else {}
    result = {"status": execution["MonitoringExecutionStatus"], "failureReason": execution.get("FailureReason"), "exitMessage": job.get("ExitMessage"),
              "schedule": sagemaker.describe_monitoring_schedule(MonitoringScheduleName=schedule)["LastMonitoringExecutionSummary"]["MonitoringExecutionStatus"]}
    if execution["MonitoringExecutionStatus"].startswith("Completed"):
        output = job["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"]
        result["output"] = output
        result["violations"] = s3_json(f"{output}/constraint_violations.json")["violations"]
        result["statistics"] = s3_json(f"{output}/statistics.json")
    return result


s3.create_bucket(Bucket="monitor")
s3.put_object(Bucket="monitor", Key="training/train.csv", Body=open(sys.argv[4]).read())

# The baseline: CreateProcessingJob on the analyzer image, as Model Monitor's suggest_baseline does.
sagemaker.create_processing_job(
    ProcessingJobName="baseline-job",
    ProcessingInputs=[{"InputName": "baseline_dataset_input", "S3Input": {"S3Uri": "s3://monitor/training", "LocalPath": "/opt/ml/processing/input/baseline_dataset_input", "S3DataType": "S3Prefix", "S3InputMode": "File"}}],
    ProcessingOutputConfig={"Outputs": [{"OutputName": "monitoring_output", "S3Output": {"S3Uri": "s3://monitor/baseline", "LocalPath": "/opt/ml/processing/output", "S3UploadMode": "EndOfJob"}}]},
    ProcessingResources={"ClusterConfig": CLUSTER},
    AppSpecification={"ImageUri": ANALYZER},
    Environment={"dataset_format": json.dumps({"csv": {"header": False}}), "dataset_source": "/opt/ml/processing/input/baseline_dataset_input", "output_path": "/opt/ml/processing/output", "skip_leading_columns": "1"},
    RoleArn=ROLE,
)
baseline = wait(lambda: sagemaker.describe_processing_job(ProcessingJobName="baseline-job"), lambda job: job["ProcessingJobStatus"] != "InProgress")
out["baseline"] = {"status": baseline["ProcessingJobStatus"], "failure": baseline.get("FailureReason"), "constraints": s3_json("s3://monitor/baseline/constraints.json")}

for name in ("normal", "drifted"):
    sagemaker.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[{"VariantName": "AllTraffic", "ModelName": model_name, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}],
        DataCaptureConfig={"EnableCapture": True, "InitialSamplingPercentage": 100, "DestinationS3Uri": "s3://monitor/capture",
                           "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}], "CaptureContentTypeHeader": {"CsvContentTypes": ["text/csv"]}},
    )
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=name)
sagemaker.create_endpoint_config(EndpointConfigName="uncaptured", ProductionVariants=[{"VariantName": "AllTraffic", "ModelName": model_name, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}])
sagemaker.create_endpoint(EndpointName="uncaptured", EndpointConfigName="uncaptured")
for name in ("normal", "drifted", "uncaptured"):
    sagemaker.get_waiter("endpoint_in_service").wait(EndpointName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})

definition = {
    "DataQualityBaselineConfig": {"ConstraintsResource": {"S3Uri": "s3://monitor/baseline/constraints.json"}, "StatisticsResource": {"S3Uri": "s3://monitor/baseline/statistics.json"}},
    "DataQualityAppSpecification": {"ImageUri": ANALYZER},
    "DataQualityJobInput": {"EndpointInput": {"EndpointName": "normal", "LocalPath": "/opt/ml/processing/input/endpoint"}},
    "DataQualityJobOutputConfig": {"MonitoringOutputs": [{"S3Output": {"S3Uri": "s3://monitor/reports", "LocalPath": "/opt/ml/processing/output"}}]},
    "JobResources": {"ClusterConfig": CLUSTER},
    "RoleArn": ROLE,
}
sagemaker.create_data_quality_job_definition(JobDefinitionName="normal-quality", **definition)
out["definition"] = sagemaker.describe_data_quality_job_definition(JobDefinitionName="normal-quality")["DataQualityJobInput"]

def schedule_uncaptured():
    uncaptured_input = {"EndpointInput": {"EndpointName": "uncaptured", "LocalPath": "/opt/ml/processing/input/endpoint"}}
    sagemaker.create_data_quality_job_definition(JobDefinitionName="uncaptured", **{**definition, "DataQualityJobInput": uncaptured_input})
    config = {"ScheduleConfig": hourly, "MonitoringJobDefinitionName": "uncaptured", "MonitoringType": "DataQuality"}
    sagemaker.create_monitoring_schedule(MonitoringScheduleName="bad", MonitoringScheduleConfig=config)


by_name = {"MonitoringJobDefinitionName": "normal-quality", "MonitoringType": "DataQuality"}
hourly = {"ScheduleExpression": "cron(0 * ? * * *)"}
out["refused"] = {
    "missingDefinition": error_of(lambda: sagemaker.create_monitoring_schedule(MonitoringScheduleName="bad", MonitoringScheduleConfig={"ScheduleConfig": hourly, "MonitoringJobDefinitionName": "absent", "MonitoringType": "DataQuality"})),
    "badCron": error_of(lambda: sagemaker.create_monitoring_schedule(MonitoringScheduleName="bad", MonitoringScheduleConfig={"ScheduleConfig": {"ScheduleExpression": "cron(*/5 * * * ? *)"}, **by_name})),
    "nowWithoutWindow": error_of(lambda: sagemaker.create_monitoring_schedule(MonitoringScheduleName="bad", MonitoringScheduleConfig={"ScheduleConfig": {"ScheduleExpression": "NOW"}, **by_name})),
    "uncapturedEndpoint": error_of(schedule_uncaptured),
}
sagemaker.create_monitoring_schedule(MonitoringScheduleName="hourly", MonitoringScheduleConfig={"ScheduleConfig": hourly, **by_name})
out["hourly"] = sagemaker.describe_monitoring_schedule(MonitoringScheduleName="hourly")["MonitoringScheduleStatus"]
out["definitionInUse"] = error_of(lambda: sagemaker.delete_data_quality_job_definition(JobDefinitionName="normal-quality"))

# The drifted endpoint, monitored by an inline job definition, before it saw any traffic: an empty window.
inline = {"MonitoringJobDefinition": {
    "BaselineConfig": {"ConstraintsResource": {"S3Uri": "s3://monitor/baseline/constraints.json"}, "StatisticsResource": {"S3Uri": "s3://monitor/baseline/statistics.json"}},
    "MonitoringInputs": [{"EndpointInput": {"EndpointName": "drifted", "LocalPath": "/opt/ml/processing/input/endpoint"}}],
    "MonitoringOutputConfig": {"MonitoringOutputs": [{"S3Output": {"S3Uri": "s3://monitor/reports", "LocalPath": "/opt/ml/processing/output"}}]},
    "MonitoringResources": {"ClusterConfig": CLUSTER},
    "MonitoringAppSpecification": {"ImageUri": ANALYZER},
    "RoleArn": ROLE,
}}
out["empty"] = run_now("drifted-empty", inline)

def shifted(row):
    values = row.split(",")
    values[1] = str(round(float(values[1]) * 1.6, 4))
    values[4] = str(round(float(values[4]) * 2.0, 4))
    return ",".join(values)


# Ten rows a request (a CSV batch, one capture record each) keeps the test quick.
for start in range(0, len(rows), 10):
    batch = rows[start:start + 10]
    runtime.invoke_endpoint(EndpointName="normal", ContentType="text/csv", Body="\n".join(batch))
    runtime.invoke_endpoint(EndpointName="drifted", ContentType="text/csv", Body="\n".join(shifted(row) for row in batch))
time.sleep(2)  # capture reaches S3 within seconds

out["normal"] = run_now("normal-now", by_name)
out["drifted"] = run_now("drifted-now", inline)
out["executions"] = [e["MonitoringScheduleName"] for e in sagemaker.list_monitoring_executions(SortBy="CreationTime", SortOrder="Ascending")["MonitoringExecutionSummaries"]]
out["violationsOnly"] = [e["MonitoringScheduleName"] for e in sagemaker.list_monitoring_executions(StatusEquals="CompletedWithViolations")["MonitoringExecutionSummaries"]]
# Both resource types through CloudFormation: created, then removed with the stack.
cloudformation = boto3.client("cloudformation", **options)
template = {"Resources": {
    "Quality": {"Type": "AWS::SageMaker::DataQualityJobDefinition", "Properties": {"JobDefinitionName": "stack-quality", "EndpointName": "normal", **definition}},
    "Schedule": {"Type": "AWS::SageMaker::MonitoringSchedule", "DependsOn": "Quality", "Properties": {
        "MonitoringScheduleName": "stack-hourly", "EndpointName": "normal",
        "MonitoringScheduleConfig": {"ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"}, "MonitoringJobDefinitionName": "stack-quality", "MonitoringType": "DataQuality"}}},
}, "Outputs": {"ScheduleArn": {"Value": {"Ref": "Schedule"}}, "DefinitionArn": {"Value": {"Ref": "Quality"}}}}
cloudformation.create_stack(StackName="monitoring", TemplateBody=json.dumps(template))
stack = wait(lambda: cloudformation.describe_stacks(StackName="monitoring")["Stacks"][0], lambda found: not found["StackStatus"].endswith("IN_PROGRESS"))
out["stack"] = {"status": stack["StackStatus"], "reason": stack.get("StackStatusReason"), "outputs": {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
                "schedule": sagemaker.describe_monitoring_schedule(MonitoringScheduleName="stack-hourly")["MonitoringScheduleStatus"]}
cloudformation.delete_stack(StackName="monitoring")
wait(lambda: cloudformation.describe_stacks()["Stacks"], lambda stacks: all(s["StackName"] != "monitoring" for s in stacks))
out["stackDeleted"] = error_of(lambda: sagemaker.describe_data_quality_job_definition(JobDefinitionName="stack-quality"))

sagemaker.stop_monitoring_schedule(MonitoringScheduleName="hourly")
out["stopped"] = sagemaker.describe_monitoring_schedule(MonitoringScheduleName="hourly")["MonitoringScheduleStatus"]
sagemaker.delete_monitoring_schedule(MonitoringScheduleName="hourly")
out["schedules"] = sorted(s["MonitoringScheduleName"] for s in sagemaker.list_monitoring_schedules()["MonitoringScheduleSummaries"])
print(json.dumps(out, default=str))
