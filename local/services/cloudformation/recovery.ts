import type { ChangeSetRecord, StackRecord } from './model';
import { StackProgress } from './progress';
import type { CloudFormationRepository } from './repository';

/** Where an operation interrupted by a stop of the local AWS ends. */
const INTERRUPTED: Readonly<Record<string, string>> = {
  CREATE_IN_PROGRESS: 'CREATE_FAILED',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK_FAILED',
  UPDATE_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_COMPLETE',
  UPDATE_ROLLBACK_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_ROLLBACK_COMPLETE',
  DELETE_IN_PROGRESS: 'DELETE_FAILED',
};

const CHANGE_SET_INTERRUPTED: Readonly<Record<string, Partial<ChangeSetRecord>>> = {
  CREATE_PENDING: { Status: 'FAILED' },
  CREATE_IN_PROGRESS: { Status: 'FAILED' },
};

export const INTERRUPTED_REASON = 'The local AWS stopped during this operation';

/**
 * At start: stacks and change sets a previous process left in progress (it was killed) get the final status
 * AWS would show for a failed operation, with a reason saying why.
 */
export function recoverInterrupted(repo: CloudFormationRepository): void {
  for (const stack of repo.allStacks()) {
    const final = INTERRUPTED[stack.StackStatus];
    if (final) finish(repo, stack, final);
  }
  for (const changeSet of repo.allChangeSets()) {
    const status = CHANGE_SET_INTERRUPTED[changeSet.Status];
    if (status) repo.putChangeSet({ ...changeSet, ...status, StatusReason: INTERRUPTED_REASON });
    else if (changeSet.ExecutionStatus === 'EXECUTE_IN_PROGRESS')
      repo.putChangeSet({ ...changeSet, ExecutionStatus: 'EXECUTE_FAILED' });
  }
}

function finish(repo: CloudFormationRepository, stack: StackRecord, status: string): void {
  new StackProgress(repo, stack).status(status, status.endsWith('_FAILED') ? INTERRUPTED_REASON : undefined);
}
