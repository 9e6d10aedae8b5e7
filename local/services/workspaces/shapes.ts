import { randomBytes } from 'node:crypto';
import {
  ApplicationAssociatedResourceType,
  AssociationErrorCode,
  AssociationState,
  Compute,
  OperatingSystemName,
  Protocol,
  RunningMode,
  WorkSpaceApplicationLicenseType,
  WorkSpaceApplicationState,
  WorkSpaceAssociatedResourceType,
  WorkspaceState,
} from '@aws-sdk/client-workspaces';
import { paginate } from '../../paging.ts';
import { SEED_ERROR } from '../../seed-errors.ts';
import { parseIsoTime } from '../../time.ts';
import { Params, type Input } from '../../validation.ts';

/**
 * Wire constraints of the personal WorkSpaces and applications APIs. Enum value sets come from the
 * SDK model itself, so the emulator accepts exactly what the client it serves can send; patterns
 * and limits are those of the WorkSpaces API reference.
 */
export const ERROR_TYPE = 'InvalidParameterValuesException';

export const OPERATING_SYSTEMS = Object.values(OperatingSystemName);
export const COMPUTE_TYPES = Object.values(Compute);
export const RUNNING_MODES = Object.values(RunningMode);
export const PROTOCOLS = Object.values(Protocol);
export const WORKSPACE_STATES = Object.values(WorkspaceState);
export const LICENSE_TYPES = Object.values(WorkSpaceApplicationLicenseType);
export const APPLICATION_STATES = Object.values(WorkSpaceApplicationState);
export const ASSOCIATION_STATES = Object.values(AssociationState);
export const ASSOCIATION_ERROR_CODES = Object.values(AssociationErrorCode);
/** What an application can be associated with (DescribeApplicationAssociations). */
export const RESOURCE_TYPES = Object.values(ApplicationAssociatedResourceType);
/** What a WorkSpace, bundle or image can be associated with: only applications. */
export const APPLICATION_ONLY = Object.values(WorkSpaceAssociatedResourceType);

export const WORKSPACE_ID = /^ws-[0-9a-z]{8,63}$/;
export const APPLICATION_ID = /^wsa-[0-9a-z]{8,63}$/;
export const BUNDLE_ID = /^wsb-[0-9a-z]{8,63}$/;
// The API reference leaves this pattern unanchored at the start; kept verbatim.
export const IMAGE_ID = /wsi-[0-9a-z]{9,63}$/;
export const DIRECTORY_ID = /^d-[0-9a-f]{8,63}$/;
export const WORKSPACE_NAME = /^[a-zA-Z0-9_()][a-zA-Z0-9_.()-]{1,63}$/;
// Verbatim from the API reference: either twelve digits (an account) or AMAZON.
export const APPLICATION_OWNER = /^\d{12}|AMAZON$/;
export const NEXT_TOKEN = { min: 1, max: 2048 } as const;
/** Largest page of the describe calls here, and the batch size of Create/Start/Stop. */
export const MAX_PAGE = 25;

/**
 * One page of `items` as the describe calls here page: `MaxResults` (or `Limit`) up to 25 and a
 * NextToken bound to the query that produced it.
 */
export function pageOf<T>(p: Params, items: readonly T[], query: unknown, limitMember = 'MaxResults') {
  const limit = p.int(limitMember, { min: 1, max: MAX_PAGE }) ?? MAX_PAGE;
  const nextToken = p.string('NextToken', NEXT_TOKEN);
  return paginate(items, { limit, nextToken, query: JSON.stringify(query), errorType: ERROR_TYPE });
}

/** `ws-`, `wsa-` … followed by nine base-36 characters, as WorkSpaces ids look. */
export function newId(prefix: string): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  return `${prefix}-${Array.from(randomBytes(9), (byte) => alphabet[byte % 36]).join('')}`;
}

/**
 * The items of the seed list `workspaces.<name>`, each as Params that name its place. Seeds are
 * checked with the same rules as requests; their messages name the place in the seed document
 * (`workspaces.applications[1].SupportedOperatingSystemNames.1`).
 */
export function seedItems(section: Input, name: string): Params[] {
  const list = section[name];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new RangeError(`workspaces.${name} must be a list`);
  return list.map((item: unknown, index) => {
    const where = `workspaces.${name}[${index}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw new RangeError(`${where} must be an object`);
    return new Params(item as Input, SEED_ERROR, `${where}.`);
  });
}

/** An optional ISO 8601 time in a seed item, as local-cloud ms; `fallback` when absent. */
export function seedTime(p: Params, name: string, fallback: number): number {
  const value = p.string(name);
  return value === undefined ? fallback : parseIsoTime(value, p.where(name));
}
