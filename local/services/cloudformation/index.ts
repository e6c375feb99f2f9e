import type { ServiceDeps } from '../../core/deps';
import type { LocalAwsEnvironment, ServiceProvider } from '../../core/service';
import { CloudFormationContext } from './context';
import { changeSetOperations } from './operations/change-sets';
import { stackOperations } from './operations/stacks';
import { recoverInterrupted } from './recovery';
import { CloudFormationRepository } from './repository';
import type { ResourceServices } from './resources/types';
import { OperationRunner } from './runner';

/**
 * The local CloudFormation: stacks and change sets deployed with the local SageMaker and SSM (other
 * supported types are recorded only). Operations answer at once and progress in the background, as on AWS.
 * `resources` are the services the live resource types work on, injected by the local AWS's wiring.
 */
export function createCloudFormationProvider(
  env: LocalAwsEnvironment,
  deps: ServiceDeps,
  resources: ResourceServices,
): ServiceProvider {
  const repo = new CloudFormationRepository(env.store);
  const runner = new OperationRunner((error) =>
    process.stderr.write(
      `local CloudFormation: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
    ),
  );
  const ctx = new CloudFormationContext(env, deps, repo, runner, resources);
  return {
    name: 'cloudformation',
    model: 'cloudformation',
    operations: { ...stackOperations(ctx), ...changeSetOperations(ctx) },
    start: () => recoverInterrupted(repo, ctx.deploymentEnv(), (task) => runner.run(task)),
    stop: () => runner.stop(),
  };
}
