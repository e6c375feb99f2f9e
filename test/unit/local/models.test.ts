import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { LOCAL_ACCOUNT_ID } from '../../../local/core/service';
import { loadModel } from '../../../local/protocols/model/shapes';
import { mountServices } from '../../../local/services/registry';
import { StateStore } from '../../../local/state/store';

const operationsList = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../local/models/operations.json'), 'utf8'),
) as Record<string, string[]>;

describe('the committed service models', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-models-'));
  const store = new StateStore(dir);
  const { providers } = mountServices({
    region: 'us-east-1',
    accountId: LOCAL_ACCOUNT_ID,
    stateDir: dir,
    store,
    endpoint: () => 'http://127.0.0.1:1',
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(providers.filter((provider) => provider.model).map((provider) => [provider.model!, provider]))(
    '%s covers every operation its provider implements (regenerate with scripts/build-models.ts)',
    (model, provider) => {
      const modelled = Object.keys(loadModel(model).operations);
      expect(Object.keys(provider.operations).filter((name) => !modelled.includes(name))).toEqual([]);
      expect(operationsList[model]).toEqual(expect.arrayContaining(Object.keys(provider.operations)));
    },
  );

  it('each model is the trimmed operation list, from one botocore version', () => {
    const versions = new Set<string>();
    for (const [service, operations] of Object.entries(operationsList)) {
      const model = loadModel(service);
      versions.add(model.source.botocore);
      expect(Object.keys(model.operations).sort()).toEqual([...operations].sort());
    }
    expect(versions.size).toBe(1);
  });
});
