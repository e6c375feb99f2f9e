/** Region and account of the local SageMaker's ARNs. */
export interface ArnContext {
  readonly region: string;
  readonly accountId: string;
}

/** `arn:aws:sagemaker:<region>:<account>:<resource>/<name>`; SageMaker lowercases names in ARNs. */
export function resourceArn(context: ArnContext, resource: string, name: string): string {
  return `arn:aws:sagemaker:${context.region}:${context.accountId}:${resource}/${name.toLowerCase()}`;
}

export function pipelineExecutionArn(context: ArnContext, pipelineName: string, executionId: string): string {
  return `${resourceArn(context, 'pipeline', pipelineName)}/execution/${executionId}`;
}

/** The pipeline name and execution id in an execution ARN, or undefined when it is not one. */
export function parseExecutionArn(arn: string): { pipeline: string; executionId: string } | undefined {
  const match = /^arn:aws[a-z-]*:sagemaker:[^:]*:\d{12}:pipeline\/([^/]+)\/execution\/([^/]+)$/.exec(arn);
  return match ? { pipeline: match[1] ?? '', executionId: match[2] ?? '' } : undefined;
}
