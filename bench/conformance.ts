/**
 * Conformance figures of the local AWS, judged by botocore (Debian's 1.29 and the AWS CLI v1's 1.43) and
 * both AWS CLIs: per service and client, operations implemented and exercised, answers matching the
 * client's output shapes, constraint-breaking requests refused with the validation error, waiters and
 * paginators run. Run with `npm run bench:conformance`; figures go to bench/results/conformance.json.
 */
import * as path from 'node:path';

import { writeFileAtomic } from '../local/state/store';
import { runConformance } from '../test/integration/conformance/run-conformance';

const RESULTS = path.join(__dirname, 'results', 'conformance.json');

async function main(): Promise<void> {
  const started = Date.now();
  const { runs, cliWaits } = await runConformance();
  const rows = runs.flatMap((run) =>
    Object.entries(run.services).map(([service, figures]) => {
      const answers = Object.values(figures.answers);
      return {
        client: `botocore ${run.botocore}`,
        service,
        implemented: figures.implemented.length,
        exercised: answers.length,
        answersMatching: answers.filter((answer) => answer.problems.length === 0).length,
        invalidSent: figures.invalid.sent,
        invalidRefused: figures.invalid.refused,
        invalidAccepted: figures.invalid.accepted.length,
        invalidWrongError: figures.invalid.wrong_error.length,
        invalidUnsendable: figures.invalid.unsendable.length,
        waitersOk: Object.values(figures.waiters).filter((outcome) => outcome === 'ok').length,
        paginatorsOk: Object.values(figures.paginators).filter((outcome) => outcome.startsWith('ok')).length,
      };
    }),
  );
  console.table(rows);
  for (const wait of cliWaits)
    console.log(`${wait.cli} (${wait.version}): sagemaker wait → exit ${wait.exitCode}`);
  const details = runs.map((run) => ({
    botocore: run.botocore,
    differences: Object.fromEntries(
      Object.entries(run.services).map(([service, figures]) => [
        service,
        {
          answerProblems: Object.fromEntries(
            Object.entries(figures.answers).filter(([, answer]) => answer.problems.length > 0),
          ),
          wrongError: figures.invalid.wrong_error,
          notExercised: figures.implemented.filter((operation) => !(operation in figures.answers)),
        },
      ]),
    ),
  }));
  const seconds = (Date.now() - started) / 1000;
  console.log(`conformance run: ${seconds.toFixed(1)} s`);
  writeFileAtomic(RESULTS, `${JSON.stringify({ seconds, rows, cliWaits, details }, null, 2)}\n`);
  console.log(`figures written to ${path.relative(process.cwd(), RESULTS)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
