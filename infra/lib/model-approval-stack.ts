import { Aspects, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

import { ModelApprovalEvents } from './approval/model-approval-events';
import type { InfraConfig } from './config';
import { foundationNames } from './names';
import { AcknowledgeDeclaredWildcards } from './nag/acknowledge-wildcards';

export interface ModelApprovalStackProps extends StackProps {
  readonly config: InfraConfig;
}

/** The approval loop of the GitHub path (docs/workflows.md): registry events → approvers' e-mail and repository_dispatch. */
export class ModelApprovalStack extends Stack {
  readonly approval: ModelApprovalEvents;

  constructor(scope: Construct, id: string, props: ModelApprovalStackProps) {
    super(scope, id, {
      description: 'MLOps template: model registry approvals notify reviewers and dispatch deploys to GitHub',
      ...props,
    });
    const { config } = props;
    this.approval = new ModelApprovalEvents(this, 'ModelApproval', {
      modelPackageGroupName: config.modelPackageGroupName,
      github: config.github,
      approvalEmail: new CfnParameter(this, 'ApprovalEmail', {
        description: 'Receives "a model package awaits review" e-mails (confirm the subscription once)',
        default: config.approvalEmail,
      }).valueAsString,
      githubTokenSecret: new CfnParameter(this, 'GitHubTokenSecretName', {
        description:
          'Secrets Manager secret holding "Bearer <token>" for repository_dispatch (docs/workflows.md)',
        default: 'mlops/github-dispatch-token',
      }).valueAsString,
      // Approvers decide what reaches production: compare with what serves there.
      serving: {
        stackName: `${config.endpointStackPrefix}-production`,
        endpointName: `${config.endpointNamePrefix}-production`,
      },
      reports: {
        bucket: foundationNames(config).artifactBucket,
        prefix: config.sagemakerPipelineName,
      },
    });
    Aspects.of(this).add(new AcknowledgeDeclaredWildcards());
  }
}
