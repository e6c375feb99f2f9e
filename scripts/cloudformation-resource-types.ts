/**
 * Writes the list of CloudFormation resource types the local AWS recognizes (what AWS answers
 * "Unrecognized resource types" for when a template names anything else). The source is aws-cdk-lib,
 * already a dependency: its generated L1 classes carry every public type from the CloudFormation resource
 * specification as `CFN_RESOURCE_TYPE_NAME`. Rerun after upgrading aws-cdk-lib:
 *
 *   npx tsx scripts/cloudformation-resource-types.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const CDK = path.join(ROOT, 'node_modules', 'aws-cdk-lib');
const OUT = path.join(ROOT, 'local/services/cloudformation/template/resource-types.json');
const TYPE_NAME = /CFN_RESOURCE_TYPE_NAME\s*=\s*"([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)"/g;

function* javascriptFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* javascriptFiles(file);
    else if (entry.isFile() && entry.name.endsWith('.js')) yield file;
  }
}

// Registered by AWS but emitted by the CDK itself rather than by an L1 class.
const types = new Set<string>(['AWS::CDK::Metadata']);
for (const file of javascriptFiles(CDK)) {
  for (const match of fs.readFileSync(file, 'utf8').matchAll(TYPE_NAME)) types.add(match[1]!);
}
const { version } = JSON.parse(fs.readFileSync(path.join(CDK, 'package.json'), 'utf8')) as {
  version: string;
};
const list = { source: `aws-cdk-lib ${version}`, types: [...types].sort() };
fs.writeFileSync(OUT, `${JSON.stringify(list, null, 1)}\n`);
process.stdout.write(
  `${list.types.length} resource types from ${list.source} → ${path.relative(ROOT, OUT)}\n`,
);
