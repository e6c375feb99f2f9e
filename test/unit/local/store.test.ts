import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { StateStore } from '../../../local/state/store';

let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'state-store-'));
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('StateStore', () => {
  it('stores records under ids with any characters (ARNs, keys, dots)', () => {
    const store = new StateStore(root);
    const ids = [
      'arn:aws:sagemaker:us-east-1:000000000000:pipeline/p',
      'dir/file*.csv',
      '.hidden',
      '..',
      'ü 名',
    ];
    ids.forEach((id, index) => store.put('things', id, { id, index }));
    expect(
      new StateStore(root)
        .list<{ id: string }>('things')
        .map((record) => record.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(store.get('things', 'dir/file*.csv')).toEqual({ id: 'dir/file*.csv', index: 1 });
    expect(fs.readdirSync(path.join(root, 'things')).every((name) => !name.includes('/'))).toBe(true);
  });

  it('deletes and reports whether a record existed', () => {
    const store = new StateStore(root);
    store.put('c', 'x', 1);
    expect(store.delete('c', 'x')).toBe(true);
    expect(store.delete('c', 'x')).toBe(false);
    expect(store.get('c', 'x')).toBeUndefined();
  });

  it('leaves no temporary files after writes', () => {
    const store = new StateStore(root);
    for (let i = 0; i < 5; i++) store.put('c', 'same', { i });
    expect(fs.readdirSync(path.join(root, 'c'))).toEqual(['same.json']);
    expect(store.get('c', 'same')).toEqual({ i: 4 });
  });
});
