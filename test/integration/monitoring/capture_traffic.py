"""Drives data capture through boto3: three endpoints (100% input+output as CSV, 0%, 50% input only with no
content-type header so BASE64), traffic with and without InferenceId, then prints what landed in S3."""
import json
import sys
import time

import boto3

endpoint, model_name, rows_file = sys.argv[1:4]
options = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
sagemaker = boto3.client("sagemaker", **options)
runtime = boto3.client("sagemaker-runtime", **options)
s3 = boto3.client("s3", **options)
rows = open(rows_file).read().split("\n")

CONFIGS = {
    "capture-all": {"InitialSamplingPercentage": 100, "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
                    "CaptureContentTypeHeader": {"CsvContentTypes": ["text/csv"]}},
    "capture-none": {"InitialSamplingPercentage": 0, "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}]},
    "capture-half": {"InitialSamplingPercentage": 50, "CaptureOptions": [{"CaptureMode": "Input"}]},
}
s3.create_bucket(Bucket="capture")
for name, capture in CONFIGS.items():
    sagemaker.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[{"VariantName": "AllTraffic", "ModelName": model_name, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}],
        DataCaptureConfig={"EnableCapture": True, "DestinationS3Uri": "s3://capture/datacapture", **capture},
    )
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=name)
for name in CONFIGS:
    sagemaker.get_waiter("endpoint_in_service").wait(EndpointName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})

started = time.time()
answers = []
for index, row in enumerate(rows[:20]):
    extra = {"InferenceId": f"row-{index}"} if index % 2 == 0 else {}
    answer = runtime.invoke_endpoint(EndpointName="capture-all", ContentType="text/csv", Body=row, **extra)
    answers.append(answer["Body"].read().decode())
for row in rows[:20]:
    runtime.invoke_endpoint(EndpointName="capture-none", ContentType="text/csv", Body=row)
for index in range(200):
    runtime.invoke_endpoint(EndpointName="capture-half", Body=rows[index % len(rows)])

time.sleep(2.5)  # capture is written within seconds, off the request path
objects = []
for page in s3.get_paginator("list_objects_v2").paginate(Bucket="capture"):
    for item in page.get("Contents", []):
        body = s3.get_object(Bucket="capture", Key=item["Key"])["Body"].read().decode()
        objects.append({"key": item["Key"], "lines": body.splitlines()})
summaries = {name: sagemaker.describe_endpoint(EndpointName=name)["DataCaptureConfig"] for name in CONFIGS}
print(json.dumps({"answers": answers, "objects": objects, "summaries": summaries, "started": started}))
