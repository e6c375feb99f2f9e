import type { ServiceProvider } from '../../core/service';
import { parameterOperations } from './operations/parameters';
import type { ParameterStore } from './parameter-store';

/** The CDK bootstrap version CDK templates' CheckBootstrapVersion rule reads (it wants at least 6). */
export const CDK_BOOTSTRAP_PARAMETER = '/cdk-bootstrap/hnb659fds/version';
const CDK_BOOTSTRAP_VERSION = '30';

/**
 * The local SSM Parameter Store (awsJson1_1, target prefix `AmazonSSM`). Operations live in typed maps
 * under operations/; add a topic there and one spread here.
 */
export function createSsmProvider(parameters: ParameterStore): ServiceProvider {
  return {
    name: 'ssm',
    model: 'ssm',
    operations: { ...parameterOperations(parameters) },
    start() {
      if (!parameters.has(CDK_BOOTSTRAP_PARAMETER)) {
        parameters.putParameter({
          Name: CDK_BOOTSTRAP_PARAMETER,
          Value: CDK_BOOTSTRAP_VERSION,
          Type: 'String',
        });
      }
    },
  };
}
