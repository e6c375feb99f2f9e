import { quietNodeVersionWarning } from '../../src/aws/quiet-node-version-warning';

quietNodeVersionWarning();
