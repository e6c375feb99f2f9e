import { type CliWait, type ConformanceRun, runConformance } from './run-conformance';

let runs: ConformanceRun[] = [];
let cliWaits: CliWait[] = [];

beforeAll(async () => {
  ({ runs, cliWaits } = await runConformance());
}, 180_000);

/** [client, service, figures] for every service each client judged. */
function eachService(): [string, string, ConformanceRun['services'][string]][] {
  return runs.flatMap((run) =>
    Object.entries(run.services).map(
      ([service, figures]) => [run.botocore, service, figures] as [string, string, typeof figures],
    ),
  );
}

describe('conformance with botocore (Debian 1.29 and the AWS CLI v1 one)', () => {
  it('runs with both clients, over every service the local AWS serves', () => {
    expect(runs.map((run) => run.botocore)).toHaveLength(2);
    for (const run of runs) expect(Object.keys(run.services).sort()).toEqual(run.served);
  });

  it('every implemented operation of every service has a scenario case (a new operation must add one)', () => {
    for (const [botocore, service, figures] of eachService()) {
      expect({ botocore, service, exercised: Object.keys(figures.answers).sort() }).toEqual({
        botocore,
        service,
        exercised: [...figures.implemented].sort(),
      });
    }
  });

  it("every answer parses and matches the client's output shape (required, types, enums, lengths, patterns, nesting)", () => {
    for (const [botocore, service, figures] of eachService()) {
      for (const [operation, answer] of Object.entries(figures.answers)) {
        expect({ botocore, service, operation, problems: answer.problems }).toEqual({
          botocore,
          service,
          operation,
          problems: [],
        });
      }
    }
  });

  it('requests that each break one input constraint are refused with the validation error naming the member', () => {
    for (const [botocore, service, figures] of eachService()) {
      const { accepted, wrong_error: wrongError, wrong_member: wrongMember, refused } = figures.invalid;
      expect({ botocore, service, accepted, wrongError, wrongMember }).toEqual({
        botocore,
        service,
        accepted: [],
        wrongError: [],
        wrongMember: [],
      });
      expect(refused).toBeGreaterThan(0);
    }
  });

  it("botocore's waiters and paginators of every implemented operation work", () => {
    for (const [botocore, service, figures] of eachService()) {
      const outcomes = { ...figures.waiters, ...figures.paginators };
      const bad = Object.entries(outcomes).filter(([, outcome]) => !/^(ok|not applicable: )/.test(outcome));
      expect({ botocore, service, bad }).toEqual({ botocore, service, bad: [] });
    }
    // The figures hold every waiter and paginator botocore has for an implemented operation, so none
    // at all would mean none was found.
    for (const run of runs) {
      const figures = Object.values(run.services);
      expect(figures.flatMap((one) => Object.values(one.waiters)).length).toBeGreaterThan(0);
      expect(figures.flatMap((one) => Object.values(one.paginators)).length).toBeGreaterThan(0);
    }
  });

  it('`aws sagemaker wait endpoint-in-service` works with AWS CLI v1 and v2', () => {
    expect(cliWaits.map((wait) => [wait.version.split('/')[1]?.[0], wait.exitCode])).toEqual([
      ['1', 0],
      ['2', 0],
    ]);
  });
});
