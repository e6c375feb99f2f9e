import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The working tree's files as `actions/checkout` would deliver them: tracked plus new, minus ignored. */
function repositoryFiles(repoRoot: string): string[] {
  const listing = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return listing
    .split('\0')
    .filter((file) => file !== '' && file !== 'node_modules' && !file.startsWith('node_modules/'))
    .filter((file) => existsSync(join(repoRoot, file)));
}

/**
 * The local `actions/checkout`: copies the working tree (uncommitted changes included, which is what a
 * test of them needs) into the job's workspace.
 */
export function checkoutWorkingTree(repoRoot: string, destination: string): void {
  for (const file of repositoryFiles(repoRoot)) {
    const target = join(destination, file);
    const source = join(repoRoot, file);
    mkdirSync(dirname(target), { recursive: true });
    if (lstatSync(source).isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else copyFileSync(source, target);
  }
}

/**
 * The local `npm ci`: links the working tree's installed node_modules into a checkout, so nothing is
 * installed and the shared installation is never written to.
 */
export function linkNodeModules(repoRoot: string, directory: string): void {
  const modules = join(directory, 'node_modules');
  if (existsSync(modules))
    throw new Error(`${modules} already exists; the replay links node_modules only into a fresh checkout`);
  symlinkSync(join(repoRoot, 'node_modules'), modules, 'dir');
}

/** The commit the working tree is on, used as `github.sha`. */
export function headCommit(repoRoot: string): string {
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
}
