import type { ParameterStringFilter } from '@aws-sdk/client-ssm';

import { AwsError } from '../../../core/errors';
import type { StoredParameter } from '../../../core/deps';

type Described = StoredParameter & { Description?: string };
type Match = (parameter: Described, values: readonly string[]) => boolean;

/** DescribeParameters' filter keys, each with the options it accepts (first = default) and its test. */
const FILTERS: Readonly<Record<string, { options: readonly string[]; match: (option: string) => Match }>> = {
  Name: {
    options: ['Equals', 'BeginsWith', 'Contains'],
    match: (option) => (parameter, values) =>
      values.some((value) => {
        const name = parameter.Name.replace(/^\//, '');
        const wanted = value.replace(/^\//, '');
        if (option === 'BeginsWith') return name.startsWith(wanted);
        if (option === 'Contains') return name.includes(wanted);
        return name === wanted;
      }),
  },
  Path: {
    options: ['OneLevel', 'Recursive'],
    match: (option) => (parameter, values) =>
      values.some((value) => {
        const path = value.replace(/\/?$/, '/');
        if (!parameter.Name.startsWith(path)) return false;
        return option === 'Recursive' || !parameter.Name.slice(path.length).includes('/');
      }),
  },
  Type: { options: ['Equals'], match: () => (parameter, values) => values.includes(parameter.Type) },
  DataType: { options: ['Equals'], match: () => (parameter, values) => values.includes(parameter.DataType) },
  Tier: { options: ['Equals'], match: () => (_parameter, values) => values.includes('Standard') },
  // Without KMS no parameter has a key id.
  KeyId: { options: ['Equals'], match: () => () => false },
};

/**
 * A DescribeParameters filter as a predicate. A key DescribeParameters does not take (`Label`, or one the
 * model's pattern lets through) is InvalidFilterKey; an option the key does not take is InvalidFilterOption
 * (AWS's codes; the model already refused keys outside its pattern with a ValidationException).
 */
export function parameterFilter(filter: ParameterStringFilter): (parameter: Described) => boolean {
  const key = filter.Key!;
  const values = filter.Values ?? [];
  if (key.startsWith('tag:')) {
    throw new AwsError('InvalidFilterKey', `The local AWS keeps no parameter tags to filter on (${key}).`);
  }
  const known = FILTERS[key];
  if (!known) {
    throw new AwsError(
      'InvalidFilterKey',
      `The following filter key is not valid: ${key}. Valid filter keys include: [${Object.keys(FILTERS).join(', ')}, tag:<key>].`,
    );
  }
  const option = filter.Option ?? known.options[0]!;
  if (!known.options.includes(option)) {
    throw new AwsError(
      'InvalidFilterOption',
      `The following filter option is not valid: ${option}. Valid options include: [${known.options.join(', ')}].`,
    );
  }
  const match = known.match(option);
  return (parameter) => match(parameter, values);
}
