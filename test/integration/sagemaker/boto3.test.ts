import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { findPython } from '../../../local/runtimes/python';
import { startLocalSageMaker, stopLocalSageMaker, type LocalSageMaker } from './helpers';

jest.setTimeout(60_000);

/**
 * boto3 (Debian's, which predates AWS_ENDPOINT_URL, so the endpoint is passed explicitly) creates and runs a
 * pipeline whose Lambda step records a model name in SSM, then reads it back.
 */
const BOTO3_SCRIPT = `
import json, sys, time
import boto3

endpoint = sys.argv[1]
options = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
sagemaker = boto3.client("sagemaker", **options)
ssm = boto3.client("ssm", **options)
definition = {
    "Version": "2020-12-01",
    "Parameters": [{"Name": "ModelName", "Type": "String", "DefaultValue": "unset"}],
    "Steps": [{
        "Name": "Record",
        "Type": "Lambda",
        "FunctionArn": "arn:aws:lambda:us-east-1:000000000000:function:record-model-name",
        "Arguments": {"model_name": {"Get": "Parameters.ModelName"}, "parameter_name": "/boto3/model-name"},
        "OutputParameters": [{"OutputName": "parameter_version", "OutputType": "Integer"}],
    }],
}
created = sagemaker.create_pipeline(PipelineName="boto3-pipeline", PipelineDefinition=json.dumps(definition), RoleArn="arn:aws:iam::000000000000:role/r")
arn = sagemaker.start_pipeline_execution(PipelineName="boto3-pipeline", PipelineParameters=[{"Name": "ModelName", "Value": "model-from-boto3"}])["PipelineExecutionArn"]
while True:
    execution = sagemaker.describe_pipeline_execution(PipelineExecutionArn=arn)
    if execution["PipelineExecutionStatus"] not in ("Executing", "Stopping"):
        break
    time.sleep(0.1)
parameter = ssm.get_parameter(Name="/boto3/model-name")["Parameter"]
print(json.dumps({
    "pipelineArn": created["PipelineArn"],
    "status": execution["PipelineExecutionStatus"],
    "created": execution["CreationTime"].year,
    "value": parameter["Value"],
}))
`;

describe('boto3 against the local SageMaker', () => {
  let local: LocalSageMaker | undefined;

  beforeAll(async () => {
    local = await startLocalSageMaker();
  });

  afterAll(() => stopLocalSageMaker(local));

  it('drives CreatePipeline, StartPipelineExecution, DescribePipelineExecution and GetParameter', async () => {
    // Asynchronously: the local AWS answering boto3 runs in this process.
    const run = await promisify(execFile)(findPython(), ['-c', BOTO3_SCRIPT, local!.aws.endpoint], {
      timeout: 40_000,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      pipelineArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/boto3-pipeline',
      status: 'Succeeded',
      created: new Date().getUTCFullYear(),
      value: 'model-from-boto3',
    });
  });
});
