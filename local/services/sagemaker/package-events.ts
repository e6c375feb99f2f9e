import type { EventBus } from '../events/bus';
import type { PackageRecord } from './model-packages';
import type { TagStore } from './tags';

export const MODEL_PACKAGE_STATE_CHANGE = 'SageMaker Model Package State Change';

/**
 * Sends `SageMaker Model Package State Change` to the event bus when a package is created or updated, in
 * the shape of the SageMaker developer guide's example ("Model package state change" under "Events that
 * Amazon SageMaker sends to Amazon EventBridge"): the package's description in `detail`, timestamps in
 * epoch milliseconds, its tags as a map, the package ARN in `resources`. Like SageMaker, it sends an event
 * for every change, so a rule may see the same approval status twice.
 */
export function emitPackageStateChange(bus: EventBus, tags: TagStore, record: PackageRecord): void {
  const { ClientToken: _token, CreationTime, LastModifiedTime, ...described } = record;
  bus.publish({
    source: 'aws.sagemaker',
    detailType: MODEL_PACKAGE_STATE_CHANGE,
    resources: [record.ModelPackageArn],
    detail: {
      ...described,
      CreationTime: CreationTime * 1000,
      ...(typeof LastModifiedTime === 'number' ? { LastModifiedTime: LastModifiedTime * 1000 } : {}),
      CertifyForMarketplace: record.CertifyForMarketplace ?? false,
      Tags: Object.fromEntries(tags.get(record.ModelPackageArn).map((tag) => [tag.Key, tag.Value])),
    },
  });
}
