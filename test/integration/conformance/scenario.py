"""The scenario: every implemented operation called validly, in an order where each finds what it needs.

SageMaker's slow parts start first and finish while the other services run (sagemaker_scenario.py)."""
import json
import os

import sagemaker_scenario
from sagemaker_scenario import ROLE
from steps import Call, Wait

HANDLER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "local", "fixtures", "handlers.echo")


def ssm_steps(prefix):
    name = f"/{prefix}/p"
    return [
        Call("ssm", "PutParameter", {"Name": name, "Value": "v1", "Type": "String", "Description": "d"}),
        Call("ssm", "PutParameter", {"Name": name, "Value": "v2", "Overwrite": True}),
        Call("ssm", "PutParameter", {"Name": f"/{prefix}/q", "Value": "v", "Type": "String"}),
        Call("ssm", "GetParameter", {"Name": name}),
        Call("ssm", "GetParameters", {"Names": [name, f"/{prefix}/none"]}),
        Call("ssm", "GetParameterHistory", {"Name": name}),
        Call("ssm", "GetParametersByPath", {"Path": f"/{prefix}", "Recursive": True}),
        Call("ssm", "DescribeParameters", {"ParameterFilters": [{"Key": "Path", "Option": "Recursive", "Values": [f"/{prefix}"]}]}),
        Call("ssm", "DeleteParameters", {"Names": [f"/{prefix}/q", f"/{prefix}/none"]}),
        Call("ssm", "DeleteParameter", {"Name": name}),
    ]


def lambda_steps(prefix):
    function = {"FunctionName": f"{prefix}-fn"}
    return [
        Call("lambda", "CreateFunction", {**function, "Role": ROLE, "Handler": HANDLER, "Code": {},
                                          "Timeout": 30, "MemorySize": 256, "Environment": {"Variables": {"MODE": "conformance"}}}),
        Call("lambda", "CreateFunction", {"FunctionName": f"{prefix}-fn-2", "Role": ROLE, "Handler": HANDLER, "Code": {}}),
        *[Wait("lambda", name, function) for name in (
            "function_exists", "function_active", "function_active_v2", "function_updated", "function_updated_v2",
            "published_version_active")],
        Call("lambda", "GetFunction", function),
        Call("lambda", "GetFunctionConfiguration", function),
        Call("lambda", "ListFunctions", {"MaxItems": 10}),
        Call("lambda", "Invoke", {**function, "Payload": b'{"x":1}', "LogType": "Tail"}),
        Call("lambda", "DeleteFunction", {"FunctionName": f"{prefix}-fn-2"}),
        Call("lambda", "DeleteFunction", function),
    ]


def events_steps(prefix):
    rule = {"Name": f"{prefix}-rule"}
    return [
        Call("events", "PutRule", {**rule, "EventPattern": json.dumps({"source": ["aws.sagemaker"]}),
                                   "Description": "conformance", "State": "ENABLED"}),
        Call("events", "PutTargets", {"Rule": rule["Name"], "Targets": [
            {"Id": "topic", "Arn": "arn:aws:sns:us-east-1:000000000000:conformance"}]}),
        Call("events", "DescribeRule", rule),
        Call("events", "ListRules", {"NamePrefix": prefix}),
        Call("events", "ListTargetsByRule", {"Rule": rule["Name"]}),
        Call("events", "PutEvents", {"Entries": [{"Source": "conformance", "DetailType": "Test", "Detail": "{}"}]}),
        Call("events", "RemoveTargets", {"Rule": rule["Name"], "Ids": ["topic"]}),
        Call("events", "DeleteRule", rule),
    ]


def s3_steps(prefix):
    bucket = {"Bucket": f"{prefix}-bucket"}
    key = {**bucket, "Key": "a/b.txt"}
    upload = {**bucket, "Key": "mp.bin"}
    upload_id = lambda seen: seen["CreateMultipartUpload"]["UploadId"]
    return [
        Call("s3", "CreateBucket", bucket),
        Call("s3", "HeadBucket", bucket),
        Call("s3", "ListBuckets", {}),
        Call("s3", "GetBucketLocation", bucket),
        Call("s3", "PutObject", {**key, "Body": b"hello", "ContentType": "text/plain", "Metadata": {"m": "1"},
                                 "CacheControl": "no-cache"}),
        Wait("s3", "object_exists", key),
        Wait("s3", "object_not_exists", {**bucket, "Key": "none"}),
        Wait("s3", "bucket_exists", bucket),
        Wait("s3", "bucket_not_exists", {"Bucket": f"{prefix}-none"}),
        Call("s3", "HeadObject", key),
        Call("s3", "GetObject", {**key, "Range": "bytes=0-1", "ResponseContentType": "text/html"}),
        Call("s3", "CopyObject", {**bucket, "Key": "a/c.txt", "CopySource": f"{prefix}-bucket/a/b.txt"}),
        Call("s3", "ListObjects", {**bucket, "Delimiter": "/"}),
        Call("s3", "ListObjectsV2", {**bucket, "Prefix": "a/"}),
        Call("s3", "CreateMultipartUpload", upload),
        Call("s3", "UploadPart", lambda seen: {**upload, "UploadId": upload_id(seen), "PartNumber": 1, "Body": b"part"}),
        Call("s3", "UploadPartCopy", lambda seen: {**upload, "UploadId": upload_id(seen), "PartNumber": 2,
                                                   "CopySource": f"{prefix}-bucket/a/b.txt"}),
        Call("s3", "ListParts", lambda seen: {**upload, "UploadId": upload_id(seen)}),
        Call("s3", "CompleteMultipartUpload", lambda seen: {
            **upload, "UploadId": upload_id(seen), "MultipartUpload": {"Parts": [
                {"PartNumber": 1, "ETag": seen["UploadPart"]["ETag"]},
                # UploadPartCopy is in the model but may not be implemented yet.
                *([{"PartNumber": 2, "ETag": seen["UploadPartCopy"]["CopyPartResult"]["ETag"]}]
                  if "UploadPartCopy" in seen else [])]}}),
        Call("s3", "CreateMultipartUpload", upload),
        Call("s3", "AbortMultipartUpload", lambda seen: {**upload, "UploadId": upload_id(seen)}),
        Call("s3", "DeleteObjects", {**bucket, "Delete": {"Objects": [{"Key": "a/c.txt"}, {"Key": "mp.bin"}]}}),
        Call("s3", "DeleteObject", key),
        Call("s3", "DeleteBucket", bucket),
    ]


def _template(prefix):
    return json.dumps({
        "Parameters": {"V": {"Type": "String", "Default": "one", "AllowedValues": ["one", "two", "three", "four", ""]}},
        "Resources": {"P": {"Type": "AWS::SSM::Parameter",
                            "Properties": {"Name": f"/{prefix}/stack", "Type": "String", "Value": {"Ref": "V"}}}},
        "Outputs": {"Value": {"Value": {"Fn::GetAtt": ["P", "Value"]}, "Export": {"Name": f"{prefix}-value"}}},
    })


def cloudformation_steps(prefix):
    """A stack through create, change sets, update, a failed update rolled back, and delete."""
    stack = {"StackName": f"{prefix}-stack"}
    template = _template(prefix)
    change_set = {**stack, "ChangeSetName": "conf-change"}
    # An executed change set stays listed, so the next one needs another name (as on AWS).
    second = {**stack, "ChangeSetName": "conf-change-2"}
    value = lambda v: [{"ParameterKey": "V", "ParameterValue": v}]
    return [
        Call("cloudformation", "ValidateTemplate", {"TemplateBody": template}),
        Call("cloudformation", "GetTemplateSummary", {"TemplateBody": template}),
        Call("cloudformation", "CreateStack", {**stack, "TemplateBody": template, "TimeoutInMinutes": 5,
                                               "Tags": [{"Key": "k", "Value": "v"}]}),
        Wait("cloudformation", "stack_exists", stack),
        Wait("cloudformation", "stack_create_complete", stack),
        Call("cloudformation", "DescribeStacks", stack),
        Call("cloudformation", "ListStacks", {"StackStatusFilter": ["CREATE_COMPLETE"]}),
        Call("cloudformation", "DescribeStackEvents", stack),
        Call("cloudformation", "DescribeStackResources", stack),
        Call("cloudformation", "DescribeStackResource", {**stack, "LogicalResourceId": "P"}),
        Call("cloudformation", "ListStackResources", stack),
        Call("cloudformation", "GetTemplate", stack),
        Call("cloudformation", "GetTemplateSummary", stack),
        Call("cloudformation", "ListExports", {}),
        Call("cloudformation", "CreateChangeSet", {**change_set, "UsePreviousTemplate": True, "Parameters": value("two"),
                                                   "RollbackConfiguration": {"MonitoringTimeInMinutes": 1}}),
        Wait("cloudformation", "change_set_create_complete", change_set),
        Call("cloudformation", "DescribeChangeSet", change_set),
        Call("cloudformation", "ListChangeSets", stack),
        Call("cloudformation", "ExecuteChangeSet", change_set),
        Wait("cloudformation", "stack_update_complete", stack),
        Call("cloudformation", "CreateChangeSet", {**second, "UsePreviousTemplate": True, "Parameters": value("three")}),
        Wait("cloudformation", "change_set_create_complete", second),
        Call("cloudformation", "DeleteChangeSet", second),
        Call("cloudformation", "UpdateStack", {**stack, "UsePreviousTemplate": True, "Parameters": value("four")}),
        Wait("cloudformation", "stack_update_complete", stack),
        # SSM refuses an empty Value, so this update fails and rolls back.
        Call("cloudformation", "UpdateStack", {**stack, "UsePreviousTemplate": True, "Parameters": value("")}),
        Wait("cloudformation", "stack_rollback_complete", stack),
        Call("cloudformation", "DeleteStack", stack),
        Wait("cloudformation", "stack_delete_complete", stack),
    ]


def steps(prefix, kept_endpoint=None):
    return [
        *sagemaker_scenario.first_steps(prefix),
        *ssm_steps(prefix),
        *lambda_steps(prefix),
        *events_steps(prefix),
        *s3_steps(prefix),
        *cloudformation_steps(prefix),
        *sagemaker_scenario.last_steps(prefix, kept_endpoint),
    ]
