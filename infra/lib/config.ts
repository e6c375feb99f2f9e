import type { Node } from 'constructs';

/**
 * The names and external settings the infra stacks share. Defaults live in infra/cdk.json; values that
 * point outside this repository (GitHub owner, connection ARN, e-mail) are placeholders a user must set
 * (docs/cdk.md lists every key).
 */
export interface InfraConfig {
  /** Prefix of resource names (Lambda function, CodePipeline). */
  readonly projectName: string;
  /** The SageMaker pipeline the workflows and CodeBuild upsert and run. */
  readonly sagemakerPipelineName: string;
  readonly modelPackageGroupName: string;
  /** SSM parameter the record-model-name Lambda writes and the endpoint stack reads. */
  readonly modelNameParameter: string;
  /** Endpoints are named `<endpointNamePrefix>-<stage>`. */
  readonly endpointNamePrefix: string;
  /** Endpoint stacks are named `<endpointStackPrefix>-<stage>`. */
  readonly endpointStackPrefix: string;
  readonly github: GitHubConfig;
  /** CodeStar (CodeConnections) connection to GitHub, created once in the console. */
  readonly codestarConnectionArn: string;
  /** Receives the CodePipeline's manual approval requests. */
  readonly approvalEmail: string;
}

export interface GitHubConfig {
  readonly owner: string;
  readonly repo: string;
  readonly branch: string;
  /**
   * GitHub environments whose jobs may assume the deploy role (e.g. staging). `production` is not one of
   * them: only its jobs may assume the production deploy role, and no other role can touch its stack.
   */
  readonly environments: readonly string[];
  /** An existing token.actions.githubusercontent.com provider; empty creates one (one per account). */
  readonly oidcProviderArn: string;
}

/** Lower case: SageMaker lower-cases these names in ARNs, which the IAM policies match. */
const LOWER_NAME = /^[a-z0-9](-*[a-z0-9])*$/;
/** Short enough for the bucket name `<project>-artifacts-<account>-<region>` (max 63). */
const PROJECT_NAME = /^(?=.{1,20}$)[a-z0-9](-*[a-z0-9])*$/;
const GITHUB_NAME = /^[A-Za-z0-9_.-]+$/;

export function infraConfigFromContext(node: Node): InfraConfig {
  const read = (key: string) => contextString(node, key);
  return {
    projectName: checked(
      'projectName',
      read('projectName'),
      PROJECT_NAME,
      'lower-case letters, digits and inner hyphens, at most 20 characters',
    ),
    sagemakerPipelineName: checked(
      'sagemakerPipelineName',
      read('sagemakerPipelineName'),
      LOWER_NAME,
      'lower-case letters, digits and inner hyphens',
    ),
    modelPackageGroupName: checked(
      'modelPackageGroupName',
      read('modelPackageGroupName'),
      LOWER_NAME,
      'lower-case letters, digits and inner hyphens (max 63)',
    ),
    modelNameParameter: checked(
      'modelNameParameter',
      read('modelNameParameter'),
      /^\/[A-Za-z0-9_.\-/]+$/,
      'an SSM parameter path such as /mlops/abalone/model-name',
    ),
    endpointNamePrefix: checked(
      'endpointNamePrefix',
      read('endpointNamePrefix'),
      LOWER_NAME,
      'lower-case letters, digits and inner hyphens',
    ),
    endpointStackPrefix: checked(
      'endpointStackPrefix',
      read('endpointStackPrefix'),
      /^[A-Za-z][A-Za-z0-9-]*$/,
      'a CloudFormation stack name prefix',
    ),
    github: {
      owner: checked('githubOwner', read('githubOwner'), GITHUB_NAME, 'a GitHub user or organization name'),
      repo: checked('githubRepo', read('githubRepo'), GITHUB_NAME, 'a GitHub repository name'),
      branch: checked(
        'githubBranch',
        read('githubBranch'),
        /^[A-Za-z0-9_./-]+$/,
        'a branch name such as main',
      ),
      environments: contextList(node, 'githubEnvironments').map((name) =>
        checked(
          'githubEnvironments',
          name,
          /^(?!production$)[A-Za-z0-9_.-]+$/,
          'GitHub environment names such as staging (production has a role of its own)',
        ),
      ),
      oidcProviderArn: checked(
        'githubOidcProviderArn',
        contextString(node, 'githubOidcProviderArn', ''),
        /^$|^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
        'empty (create the provider) or the ARN of the existing token.actions.githubusercontent.com provider',
      ),
    },
    codestarConnectionArn: checked(
      'codestarConnectionArn',
      read('codestarConnectionArn'),
      /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection\/[0-9a-f-]+$/,
      'the ARN of a CodeStar/CodeConnections connection to GitHub',
    ),
    approvalEmail: checked(
      'approvalEmail',
      read('approvalEmail'),
      /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
      'an e-mail address',
    ),
  };
}

function contextString(node: Node, key: string, fallback?: string): string {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string') {
    throw new Error(
      `context ${key} is ${JSON.stringify(value)}; expected a string (set it in infra/cdk.json or with -c ${key}=...)`,
    );
  }
  return value;
}

/** A list from cdk.json (JSON array) or from `-c key=a,b` (comma-separated). */
function contextList(node: Node, key: string): string[] {
  const value: unknown = node.tryGetContext(key);
  if (typeof value === 'string')
    return value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) return value as string[];
  throw new Error(
    `context ${key} is ${JSON.stringify(value)}; expected a list of strings or a comma-separated string`,
  );
}

function checked(key: string, value: string, pattern: RegExp, expected: string): string {
  if (!pattern.test(value)) throw new Error(`context ${key} is "${value}"; expected ${expected}`);
  return value;
}
