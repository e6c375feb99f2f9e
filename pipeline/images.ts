/**
 * ECR image URIs of the SageMaker containers the pipeline uses, per region. The accounts are those the
 * SageMaker Python SDK lists for scikit-learn 1.2-1 and XGBoost 1.7-1 (src/sagemaker/image_uri_config/
 * sklearn.json and xgboost.json); both images come from the same account in each region.
 */

const PUBLISHER_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '510948584623',
  'ap-east-1': '651117190479',
  'ap-northeast-1': '354813040037',
  'ap-northeast-2': '366743142698',
  'ap-northeast-3': '867004704886',
  'ap-south-1': '720646828776',
  'ap-south-2': '628508329040',
  'ap-southeast-1': '121021644041',
  'ap-southeast-2': '783357654285',
  'ap-southeast-3': '951798379941',
  'ap-southeast-4': '106583098589',
  'ca-central-1': '341280168497',
  'cn-north-1': '450853457545',
  'cn-northwest-1': '451049120500',
  'eu-central-1': '492215442770',
  'eu-central-2': '680994064768',
  'eu-north-1': '662702820516',
  'eu-south-1': '978288397137',
  'eu-south-2': '104374241257',
  'eu-west-1': '141502667606',
  'eu-west-2': '764974769150',
  'eu-west-3': '659782779980',
  'me-central-1': '272398656194',
  'me-south-1': '801668240914',
  'sa-east-1': '737474898029',
  'us-east-1': '683313688378',
  'us-east-2': '257758044811',
  'us-gov-east-1': '237065988967',
  'us-gov-west-1': '414596584902',
  'us-west-1': '746614075791',
  'us-west-2': '246618743249',
};

/** Regions where the SDK lists XGBoost 1.7-1 but not scikit-learn 1.2-1. */
const XGBOOST_ONLY_ACCOUNTS: Readonly<Record<string, string>> = {
  'ca-west-1': '190319476487',
  'il-central-1': '898809789911',
};

export interface ContainerImage {
  readonly repository: string;
  readonly tag: string;
  readonly accounts: Readonly<Record<string, string>>;
}

export const SKLEARN_IMAGE: ContainerImage = {
  repository: 'sagemaker-scikit-learn',
  tag: '1.2-1-cpu-py3',
  accounts: PUBLISHER_ACCOUNTS,
};

export const XGBOOST_IMAGE: ContainerImage = {
  repository: 'sagemaker-xgboost',
  tag: '1.7-1',
  accounts: { ...PUBLISHER_ACCOUNTS, ...XGBOOST_ONLY_ACCOUNTS },
};

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>:<tag>` for a region the image is published in. */
export function imageUri(image: ContainerImage, region: string): string {
  const account = Object.hasOwn(image.accounts, region) ? image.accounts[region] : undefined;
  if (account === undefined) {
    throw new Error(
      `${image.repository}:${image.tag} is not published in region "${region}"; known regions: ${Object.keys(image.accounts).sort().join(', ')}`,
    );
  }
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${account}.dkr.ecr.${region}.${domain}/${image.repository}:${image.tag}`;
}
