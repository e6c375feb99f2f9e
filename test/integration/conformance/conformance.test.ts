import { type CliWait, type ConformanceRun, runConformance } from './run-conformance';

/** The client whose botocore the committed models were trimmed from judges strictly (same model version). */
const MODEL_BOTOCORE = (require('../../../local/models/ssm.json') as { source: { botocore: string } }).source
  .botocore;

let runs: ConformanceRun[] = [];
let cliWaits: CliWait[] = [];

beforeAll(async () => {
  ({ runs, cliWaits } = await runConformance());
}, 180_000);

describe('conformance with botocore (Debian 1.29 and the AWS CLI v1 one)', () => {
  it('runs with both clients', () => {
    expect(runs.map((run) => run.botocore)).toHaveLength(2);
  });

  it('every answer parses and matches the output shape (required members, types, enums)', () => {
    const strict = runs.find((run) => run.botocore === MODEL_BOTOCORE)!;
    for (const [service, figures] of Object.entries(strict.services)) {
      for (const [operation, answer] of Object.entries(figures.answers)) {
        expect({ service, operation, problems: answer.problems }).toEqual({
          service,
          operation,
          problems: [],
        });
      }
    }
  });

  it('every SSM and Lambda operation has a scenario case (new operations must add one)', () => {
    for (const run of runs) {
      for (const service of ['ssm', 'lambda']) {
        const figures = run.services[service]!;
        expect(Object.keys(figures.answers).sort()).toEqual([...figures.implemented].sort());
      }
    }
  });

  it('requests that break an input constraint are refused with the validation error', () => {
    const strict = runs.find((run) => run.botocore === MODEL_BOTOCORE)!;
    for (const [service, figures] of Object.entries(strict.services)) {
      expect({ service, accepted: figures.invalid.accepted, wrong: figures.invalid.wrong_error }).toEqual({
        service,
        accepted: [],
        wrong: [],
      });
      expect(figures.invalid.refused).toBeGreaterThan(0);
    }
    // The older client's models differ in places (longer names allowed since), but it never sees a
    // constraint-breaking request accepted.
    const older = runs.find((run) => run.botocore !== MODEL_BOTOCORE)!;
    for (const figures of Object.values(older.services)) expect(figures.invalid.accepted).toEqual([]);
  });

  it("botocore's waiters and paginators for the implemented operations work", () => {
    for (const run of runs) {
      for (const figures of Object.values(run.services)) {
        for (const outcome of [...Object.values(figures.waiters), ...Object.values(figures.paginators)])
          expect(outcome).toMatch(/^ok/);
      }
      expect(Object.keys(run.services.lambda!.waiters)).toContain('function_updated');
    }
  });

  it('`aws sagemaker wait` works with AWS CLI v1 and v2', () => {
    expect(cliWaits.map((wait) => [wait.version.split('/')[1]?.[0], wait.exitCode])).toEqual([
      ['1', 0],
      ['2', 0],
    ]);
  });
});
