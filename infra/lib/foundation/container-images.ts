import { Aws, CfnMapping, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import { SKLEARN_IMAGE, XGBOOST_IMAGE, type ContainerImage } from '../../../pipeline/images';

const IMAGES = { sklearn: SKLEARN_IMAGE, xgboost: XGBOOST_IMAGE } as const;

/**
 * The ECR repositories of the SageMaker images the pipeline uses, in the deploy region's publishing
 * account (the same table the pipeline definition takes its image URIs from). The account is looked up
 * at deploy time, so the template stays region-agnostic; regions without both images fail the lookup.
 */
export class SageMakerContainerImages extends Construct {
  /** `arn:<partition>:ecr:<region>:<publisher>:repository/<name>` of each image. */
  readonly repositoryArns: readonly string[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const regions = Object.keys(SKLEARN_IMAGE.accounts).filter((region) => region in XGBOOST_IMAGE.accounts);
    const mapping = new CfnMapping(this, 'PublisherAccounts', {
      mapping: Object.fromEntries(
        regions.map((region) => [
          region,
          { sklearn: account(SKLEARN_IMAGE, region), xgboost: account(XGBOOST_IMAGE, region) },
        ]),
      ),
    });
    this.repositoryArns = Object.entries(IMAGES).map(([key, image]) =>
      Stack.of(this).formatArn({
        service: 'ecr',
        account: mapping.findInMap(Aws.REGION, key),
        resource: 'repository',
        resourceName: image.repository,
      }),
    );
  }
}

function account(image: ContainerImage, region: string): string {
  const value = image.accounts[region];
  if (value === undefined) throw new Error(`${image.repository} has no publishing account for ${region}`);
  return value;
}
