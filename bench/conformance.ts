/**
 * Conformance figures of the local AWS, judged by botocore (Debian's 1.29 and the AWS CLI v1's 1.43) and
 * both AWS CLIs: per service and client, operations implemented and exercised, answers matching the
 * client's output shapes, constraint-breaking requests refused with the validation error, waiters and
 * paginators run. Run with `npm run bench:conformance`; figures go to bench/results/conformance.json.
 */
import * as os from 'node:os';
import * as path from 'node:path';

import { writeFileAtomic } from '../local/state/store';
import {
  type ConformanceRun,
  type ServiceFigures,
  runConformance,
} from '../test/integration/conformance/run-conformance';

const RESULTS = path.join(__dirname, 'results', 'conformance.json');

function count(outcomes: Record<string, string>, pattern: RegExp): number {
  return Object.values(outcomes).filter((outcome) => pattern.test(outcome)).length;
}

function row(run: ConformanceRun, service: string, figures: ServiceFigures) {
  const answers = Object.values(figures.answers);
  const { invalid } = figures;
  return {
    client: `botocore ${run.botocore}`,
    service,
    implemented: figures.implemented.length,
    exercised: answers.length,
    answersMatching: answers.filter((answer) => answer.problems.length === 0).length,
    invalidSent: invalid.sent,
    refused: invalid.refused,
    accepted: invalid.accepted.length,
    wrongError: invalid.wrong_error.length + invalid.wrong_member.length,
    unsendable: invalid.unsendable.length,
    waiters: `${count(figures.waiters, /^ok/)}/${Object.keys(figures.waiters).length}`,
    paginators: `${count(figures.paginators, /^ok/)}/${Object.keys(figures.paginators).length}`,
  };
}

function differences(run: ConformanceRun) {
  return Object.fromEntries(
    Object.entries(run.services).map(([service, figures]) => [
      service,
      {
        answerProblems: Object.fromEntries(
          Object.entries(figures.answers).filter(([, answer]) => answer.problems.length > 0),
        ),
        notes: figures.notes,
        accepted: figures.invalid.accepted,
        wrongError: [...figures.invalid.wrong_error, ...figures.invalid.wrong_member],
        unsendable: figures.invalid.unsendable,
        waitersAndPaginators: Object.fromEntries(
          Object.entries({ ...figures.waiters, ...figures.paginators }).filter(
            ([, outcome]) => !outcome.startsWith('ok'),
          ),
        ),
        notExercised: figures.implemented.filter((operation) => !(operation in figures.answers)),
      },
    ]),
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  // Wall times depend on what else the machine runs; the load says how quiet it was.
  const loadAverage = os.loadavg()[0]!;
  const { runs, cliWaits } = await runConformance();
  const rows = runs.flatMap((run) =>
    Object.entries(run.services).map(([service, figures]) => row(run, service, figures)),
  );
  console.table(rows);
  for (const run of runs)
    console.log(`botocore ${run.botocore}: scenario ${run.seconds.scenario} s, all ${run.seconds.total} s`);
  for (const wait of cliWaits)
    console.log(`${wait.cli} (${wait.version}): sagemaker wait ${wait.waiter} → exit ${wait.exitCode}`);
  const details = runs.map((run) => ({ botocore: run.botocore, differences: differences(run) }));
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `conformance run: ${seconds.toFixed(1)} s (both clients at once; load average ${loadAverage.toFixed(1)} on ${os.cpus().length} cores)`,
  );
  const figures = { seconds, loadAverage, rows, cliWaits, details };
  writeFileAtomic(RESULTS, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`figures written to ${path.relative(process.cwd(), RESULTS)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
