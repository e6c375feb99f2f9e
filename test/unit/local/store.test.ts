import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { AwsError } from '../../../local/core/errors';
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
    expect(fs.readdirSync(path.join(root, 'c'))).toHaveLength(1);
    expect(store.get('c', 'same')).toEqual({ i: 4 });
  });

  it('stores every id AWS accepts, whatever its length (1,024-byte keys, long ARNs)', () => {
    const store = new StateStore(root);
    const ids = [
      'k/'.repeat(512),
      'é'.repeat(512),
      `arn:aws:sagemaker:us-east-1:000000000000:pipeline/${'p'.repeat(256)}`,
    ];
    ids.forEach((id) => store.put('long', id, { id }));
    expect(ids.map((id) => store.get<{ id: string }>('long', id)?.id)).toEqual(ids);
    expect(new StateStore(root).list('long')).toHaveLength(3);
  });

  it('moves a corrupt record aside, answers an error for it alone and serves the rest', () => {
    const logs: string[] = [];
    const store = new StateStore(root, { log: (line) => logs.push(line) });
    store.put('stacks', 'good', { ok: true });
    store.put('stacks', 'torn', { ok: true });
    const [torn] = fs.readdirSync(path.join(root, 'stacks')).filter((name) => {
      const text = fs.readFileSync(path.join(root, 'stacks', name), 'utf8');
      return text.includes('"torn"');
    });
    const file = path.join(root, 'stacks', torn!);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 12));

    const fresh = new StateStore(root, { log: (line) => logs.push(line) });
    let thrown: unknown;
    try {
      fresh.get('stacks', 'torn');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AwsError);
    expect((thrown as AwsError).message).toMatch(/stacks "torn" is corrupt .*moved to .*quarantine/);
    expect(fresh.get('stacks', 'torn')).toBeUndefined();
    expect(fresh.get('stacks', 'good')).toEqual({ ok: true });
    expect(logs.join('\n')).toContain(file);
    expect(fs.readdirSync(path.join(root, 'quarantine', 'stacks'))).toHaveLength(1);
  });

  it('skips and quarantines a corrupt record when listing', () => {
    const logs: string[] = [];
    const store = new StateStore(root, { log: (line) => logs.push(line) });
    store.put('executions', 'a', 1);
    store.put('executions', 'b', 2);
    const [first] = fs.readdirSync(path.join(root, 'executions'));
    fs.writeFileSync(path.join(root, 'executions', first!), '{"id": "a", "val');
    expect(new StateStore(root, { log: (line) => logs.push(line) }).list('executions')).toHaveLength(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/is corrupt \(.*\); moved it to .*quarantine/);
  });

  it('upgrades a state dir written with the older one-file-per-encoded-id layout', () => {
    fs.mkdirSync(path.join(root, 'sagemaker', 'pipelines'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'sagemaker', 'pipelines', 'my-pipeline.json'),
      '{"PipelineName":"my-pipeline"}',
    );
    fs.writeFileSync(path.join(root, 'sagemaker', 'pipelines', 'arn%3Aaws%3Ax.json'), '{"n":2}');
    fs.writeFileSync(path.join(root, 'sagemaker', 'pipelines', '.x.json.1234.tmp'), '{"n"');
    const store = new StateStore(root, { log: () => undefined });
    expect(store.get('sagemaker/pipelines', 'my-pipeline')).toEqual({ PipelineName: 'my-pipeline' });
    expect(store.get('sagemaker/pipelines', 'arn:aws:x')).toEqual({ n: 2 });
    expect(
      fs
        .readdirSync(path.join(root, 'sagemaker', 'pipelines'))
        .every((name) => /^[0-9a-f]{64}\.json$/.test(name)),
    ).toBe(true);
  });
});
