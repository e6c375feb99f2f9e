import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the local SageMaker keeps its jobs, under the state directory. */
export const JOBS_FOLDER = path.join('sagemaker', 'jobs');

/** A job's name from its ARN (`arn:...:processing-job/<name>`) or the name itself. */
export function jobNameOf(jobArnOrName: string): string {
  return jobArnOrName.startsWith('arn:')
    ? jobArnOrName.slice(jobArnOrName.lastIndexOf('/') + 1)
    : jobArnOrName;
}

/** The job's folder: `job.log`, the `opt-ml` folder that stands for the container's `/opt/ml`, and `tmp`. */
export function jobRoot(stateDir: string, jobArnOrName: string): string {
  return path.join(stateDir, JOBS_FOLDER, jobNameOf(jobArnOrName).toLowerCase());
}

/** The job's log (stdout and stderr as the container would send them to CloudWatch); `mlops logs` reads it. */
export function jobLogPath(stateDir: string, jobArnOrName: string): string {
  return path.join(jobRoot(stateDir, jobArnOrName), 'job.log');
}

export interface JobDirectory {
  readonly root: string;
  /** Host folder mounted at `/opt/ml` inside the job. */
  readonly optMl: string;
  readonly tmp: string;
  readonly logFile: string;
  /** Host path of a container path under `/opt/ml` (e.g. `/opt/ml/processing/input`). */
  hostPath(containerPath: string): string;
}

export const CONTAINER_OPT_ML = '/opt/ml';

/** Creates a fresh job folder (an older one of the same name is replaced). */
export function createJobDirectory(stateDir: string, jobName: string): JobDirectory {
  const root = jobRoot(stateDir, jobName);
  fs.rmSync(root, { recursive: true, force: true });
  const optMl = path.join(root, 'opt-ml');
  const tmp = path.join(root, 'tmp');
  for (const dir of [optMl, tmp]) fs.mkdirSync(dir, { recursive: true });
  return {
    root,
    optMl,
    tmp,
    logFile: path.join(root, 'job.log'),
    hostPath: (containerPath) => {
      const normalized = path.posix.normalize(containerPath);
      if (normalized !== CONTAINER_OPT_ML && !normalized.startsWith(`${CONTAINER_OPT_ML}/`)) {
        throw new Error(`container path ${containerPath} is outside ${CONTAINER_OPT_ML}`);
      }
      return path.join(optMl, normalized.slice(CONTAINER_OPT_ML.length));
    },
  };
}
