import { AwsError } from '../../protocol.ts';
import { Params, type Input } from '../../validation.ts';

/**
 * How AppStream refuses a bad request. Constraints its API model declares (required members,
 * types, lengths, name patterns, enums) are checked by the AWS front end before the service runs,
 * which answers ValidationException. Rules AppStream documents only in prose (value ranges,
 * instance types, which members go together with which fleet type, DescribeSessions' Limit) are
 * the service's own checks, answered with InvalidParameterCombinationException, documented as
 * "an incorrect combination of parameters, or a missing parameter".
 */
export interface Views {
  /** Reads members whose violations are ValidationException. */
  shape: Params;
  /** Reads members whose violations are InvalidParameterCombinationException. */
  rules: Params;
}

export const VALIDATION = 'ValidationException';
export const COMBINATION = 'InvalidParameterCombinationException';

/** Both views of a request body; `prefix` names where it sits (a seed path) in messages. */
export function views(body: unknown, prefix = ''): Views {
  Params.of(body, VALIDATION);
  return {
    shape: new Params(body as Input, VALIDATION, prefix),
    rules: new Params(body as Input, COMBINATION, prefix),
  };
}

/** AppStream resource names: CreateFleet/CreateStack `Name` in the API model. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$/;
/** The API model's `Arn` shape. */
export const ARN_PATTERN =
  /^arn:aws(?:-cn|-iso-b|-iso|-us-gov)?:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}$/;

/** Page size of the Describe/List calls that take no Limit (AWS does not document one). */
export const PAGE_SIZE = 20;

export const notFound = (message: string) => new AwsError('ResourceNotFoundException', message);
/**
 * A fleet in the middle of a state change. The API guide says a STARTING or STOPPING fleet cannot
 * be updated but names no error; AppStream documents ConcurrentModificationException as "wait a
 * few minutes and try again", which is what the caller should do.
 */
export const busy = (message: string) => new AwsError('ConcurrentModificationException', message);
export const inUse = (message: string) => new AwsError('ResourceInUseException', message);
