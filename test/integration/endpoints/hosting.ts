import * as fs from 'node:fs';

import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateEndpointConfigCommand, CreateModelCommand } from '@aws-sdk/client-sagemaker';

import { XGBOOST_IMAGE, type TestAws } from './local-aws';

/** The bucket test models live in: `s3://models/<key>/model.tar.gz`. */
export const MODELS_BUCKET = 'models';

export const modelDataUrl = (key: string): string => `s3://${MODELS_BUCKET}/${key}/model.tar.gz`;

/** Creates the models bucket and puts each model archive (a file path, or raw bytes) under its key. */
export async function uploadModels(
  t: TestAws,
  models: Readonly<Record<string, { file: string } | { body: string }>>,
): Promise<void> {
  await t.s3.send(new CreateBucketCommand({ Bucket: MODELS_BUCKET }));
  for (const [key, source] of Object.entries(models)) {
    await t.s3.send(
      new PutObjectCommand({
        Bucket: MODELS_BUCKET,
        Key: `${key}/model.tar.gz`,
        Body: 'file' in source ? fs.readFileSync(source.file) : source.body,
      }),
    );
  }
}

/** A SageMaker model `name` serving `s3://models/<key>/model.tar.gz`. */
export async function createModel(
  t: TestAws,
  name: string,
  key: string,
  image = XGBOOST_IMAGE,
): Promise<void> {
  await t.sagemaker.send(
    new CreateModelCommand({
      ModelName: name,
      ExecutionRoleArn: 'arn:aws:iam::000000000000:role/sagemaker',
      PrimaryContainer: { Image: image, ModelDataUrl: modelDataUrl(key) },
    }),
  );
}

/** An endpoint config with one AllTraffic variant of one instance. */
export async function createEndpointConfig(t: TestAws, name: string, modelName: string): Promise<void> {
  await t.sagemaker.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: name,
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: modelName,
          InitialInstanceCount: 1,
          InstanceType: 'ml.m5.large',
        },
      ],
    }),
  );
}
