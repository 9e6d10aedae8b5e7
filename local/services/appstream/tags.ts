import { AwsError } from '../../protocol.ts';
import type { Operation } from '../../service.ts';
import type { Params } from '../../validation.ts';
import { ARN_PATTERN, views } from './requests.ts';
import type { AppStreamStore } from './store.ts';

/** Tag rules of the API model: up to 50 per resource, keys without the reserved `aws:` prefix. */
const MAX_TAGS = 50;
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** A `Tags` map member (CreateFleet, CreateStack, TagResource). */
export function readTags(shape: Params, required = false): Record<string, string> | undefined {
  const tags = shape.raw('Tags');
  if (tags === undefined || tags === null) {
    if (required) shape.fail('Tags', 'Member must not be null');
    return undefined;
  }
  if (typeof tags !== 'object' || Array.isArray(tags)) shape.fail('Tags', 'Member must be a map', tags);
  const entries = Object.entries(tags);
  if (entries.length < 1 || entries.length > MAX_TAGS)
    shape.fail('Tags', `Member must have between 1 and ${MAX_TAGS} entries`, tags);
  for (const [key, value] of entries) {
    if (!TAG_KEY.test(key))
      shape.fail(`Tags.${key}`, `Key must satisfy regular expression pattern: ${TAG_KEY.source}`, key);
    if (typeof value !== 'string' || !TAG_VALUE.test(value))
      shape.fail(`Tags.${key}`, `Value must satisfy regular expression pattern: ${TAG_VALUE.source}`, value);
  }
  return tags as Record<string, string>;
}

export function tagOperations(store: AppStreamStore): Record<string, Operation> {
  const resource = (shape: Params) =>
    store.tagged(shape.string('ResourceArn', { required: true, pattern: ARN_PATTERN }));
  return {
    TagResource(input) {
      const { shape } = views(input);
      const target = resource(shape);
      const tags = { ...target.tags, ...readTags(shape, true) };
      if (Object.keys(tags).length > MAX_TAGS)
        throw new AwsError(
          'LimitExceededException',
          `A resource can have at most ${MAX_TAGS} tags; ${target.arn} would have ${Object.keys(tags).length}.`,
        );
      target.tags = tags;
      return {};
    },

    UntagResource(input) {
      const { shape } = views(input);
      const target = resource(shape);
      const keys = shape.strings('TagKeys', { required: true, max: MAX_TAGS });
      target.tags = Object.fromEntries(Object.entries(target.tags).filter(([key]) => !keys.includes(key)));
      return {};
    },

    ListTagsForResource(input) {
      return { Tags: resource(views(input).shape).tags };
    },
  };
}
