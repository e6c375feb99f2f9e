import { jobLogPath } from '../../local/runtimes/job-directory';
import { resolveEndpoint } from '../aws/clients';
import { resourceNameOf, type StepView } from './steps';

/** `mlops local start`'s default state directory. */
const DEFAULT_LOCAL_STATE_DIR = '.mlops/local';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True when SageMaker calls go to the local AWS (an endpoint override on this machine). */
export function isLocalEndpoint(
  endpoint: string | undefined = process.env.AWS_ENDPOINT_URL_SAGEMAKER ?? resolveEndpoint(),
): boolean {
  if (!endpoint) return false;
  try {
    return LOCAL_HOSTS.has(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/** `arn:aws:sagemaker:<region>:...` → region. */
export function regionOfArn(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

// Console paths per job kind, and the CloudWatch log group each job type writes to.
const JOB_PAGES: Readonly<Record<string, { page: string; logGroup: string }>> = {
  TrainingJob: { page: 'jobs', logGroup: '/aws/sagemaker/TrainingJobs' },
  ProcessingJob: { page: 'processing-jobs', logGroup: '/aws/sagemaker/ProcessingJobs' },
  TransformJob: { page: 'transform-jobs', logGroup: '/aws/sagemaker/TransformJobs' },
};

export interface WhereToLookOptions {
  readonly executionArn: string;
  readonly local: boolean;
  /** The local AWS state directory (for job log paths); default `.mlops/local`. */
  readonly localStateDir?: string;
}

/** Lines telling a person where a failed step's details live: console and logs on AWS, the job log locally. */
export function whereToLook(step: StepView | undefined, options: WhereToLookOptions): string[] {
  const region = regionOfArn(options.executionArn) ?? 'us-east-1';
  const job = step?.kind ? JOB_PAGES[step.kind] : undefined;
  const jobName = step?.resourceArn ? resourceNameOf(step.resourceArn) : undefined;
  if (options.local) {
    if (!step || !job || !jobName) return [`Local run: the local AWS's output shows what happened.`];
    const logFile = jobLogPath(options.localStateDir ?? DEFAULT_LOCAL_STATE_DIR, jobName);
    return [`Job log: ${logFile} (or \`mlops logs ${options.executionArn} --step ${step.name}\`)`];
  }
  const console = `https://${region}.console.aws.amazon.com`;
  if (job && jobName) {
    const logGroup = encodeURIComponent(encodeURIComponent(job.logGroup)).replace(/%/g, '$');
    return [
      `Job: ${console}/sagemaker/home?region=${region}#/${job.page}/${jobName}`,
      `Logs: ${console}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${logGroup}$3FlogStreamNameFilter$3D${jobName}`,
    ];
  }
  if (step?.kind === 'Lambda' && step.resourceArn) {
    const functionName = step.resourceArn.split(':')[6] ?? step.resourceArn;
    return [`Function: ${console}/lambda/home?region=${region}#/functions/${functionName}?tab=monitor`];
  }
  return [`Execution: SageMaker Studio → Pipelines → open the execution ${options.executionArn}`];
}
