import type { Params } from '../../validation.ts';

/**
 * Request members of the pool operations, checked against the constraints of the WorkSpaces API
 * reference (the SDK carries the shapes but not the patterns and ranges).
 */
export const POOL_ID = /^wspool-[0-9a-z]{9}$/;
const POOL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const DESCRIPTION = /^[a-zA-Z0-9_./() -]+$/;
const BUNDLE_ID = /^wsb-[0-9a-z]{8,63}$/;
const DIRECTORY_ID = /^(d-[0-9a-f]{8,63}$)|(wsd-[0-9a-z]{8,63}$)/;
const SETTINGS_GROUP = /^[A-Za-z0-9_./()!*'-]+$/;
const FILTER_VALUE = /^[A-Za-z0-9][A-Za-z0-9_.-]+$/;

export const RUNNING_MODES = ['AUTO_STOP', 'ALWAYS_ON'] as const;
export type RunningMode = (typeof RUNNING_MODES)[number];
export const FILTER_OPERATORS = ['EQUALS', 'NOTEQUALS', 'CONTAINS', 'NOTCONTAINS'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
/** Each WorkSpaces resource can have at most 50 tags (CreateTags reference). */
export const MAX_TAGS = 50;

export interface ApplicationSettings {
  Status: 'DISABLED' | 'ENABLED';
  SettingsGroup?: string | undefined;
}
export interface TimeoutSettings {
  DisconnectTimeoutInSeconds?: number | undefined;
  IdleDisconnectTimeoutInSeconds?: number | undefined;
  MaxUserDurationInSeconds?: number | undefined;
}

/** The settings UpdateWorkspacesPool may change; CreateWorkspacesPool requires the first four. */
export interface PoolSettings {
  Description?: string | undefined;
  BundleId?: string | undefined;
  DirectoryId?: string | undefined;
  DesiredUserSessions?: number | undefined;
  ApplicationSettings?: ApplicationSettings | undefined;
  TimeoutSettings?: TimeoutSettings | undefined;
  RunningMode?: RunningMode | undefined;
}
export type NewPool = Required<Pick<PoolSettings, 'Description' | 'BundleId' | 'DirectoryId' | 'DesiredUserSessions'>> &
  PoolSettings & { PoolName: string; Tags: Array<[string, string | undefined]> };

export interface PoolFilter {
  Values: string[];
  Operator: FilterOperator;
}

export function poolId(p: Params, name = 'PoolId'): string {
  return p.string(name, { required: true, pattern: POOL_ID });
}

export function newPool(p: Params): NewPool {
  const PoolName = p.string('PoolName', { required: true, pattern: POOL_NAME });
  // Asked to require them, Params has refused a request lacking any of these members.
  const settings = poolSettings(p, true) as Omit<NewPool, 'PoolName' | 'Tags'>;
  return { PoolName, ...settings, Tags: tags(p, 'Tags') };
}

export function poolSettings(p: Params, required: boolean): PoolSettings {
  const application = p.object('ApplicationSettings');
  const timeouts = p.object('TimeoutSettings');
  return {
    Description: p.string('Description', { required, min: 1, max: 255, pattern: DESCRIPTION }),
    BundleId: p.string('BundleId', { required, pattern: BUNDLE_ID }),
    DirectoryId: p.string('DirectoryId', { required, min: 10, max: 65, pattern: DIRECTORY_ID }),
    DesiredUserSessions: p.object('Capacity', { required })?.int('DesiredUserSessions', { required: true, min: 0 }),
    ApplicationSettings: application && {
      Status: application.enum('Status', ['DISABLED', 'ENABLED'], { required: true }),
      SettingsGroup: application.string('SettingsGroup', { max: 100, pattern: SETTINGS_GROUP }),
    },
    TimeoutSettings: timeouts && {
      DisconnectTimeoutInSeconds: timeouts.int('DisconnectTimeoutInSeconds', { min: 60, max: 36_000 }),
      IdleDisconnectTimeoutInSeconds: timeouts.int('IdleDisconnectTimeoutInSeconds', { min: 0, max: 36_000 }),
      MaxUserDurationInSeconds: timeouts.int('MaxUserDurationInSeconds', { min: 600, max: 432_000 }),
    },
    RunningMode: p.enum('RunningMode', RUNNING_MODES),
  };
}

/** A list of Tag structures as key/value pairs, in request order. */
export function tags(p: Params, name: string, required = false): Array<[string, string | undefined]> {
  const list = p.objects(name, { required }) ?? [];
  return list.map((tag) => [
    tag.string('Key', { required: true, min: 1, max: 127 }),
    tag.string('Value', { max: 255 }),
  ]);
}

/** DescribeWorkspacesPools filters; the only filter name is PoolName. */
export function poolFilters(p: Params): PoolFilter[] | undefined {
  return p.objects('Filters', { min: 1, max: 25 })?.map((filter) => {
    filter.enum('Name', ['PoolName'], { required: true });
    const values = filter.strings('Values', {
      required: true,
      min: 1,
      max: 25,
      item: { min: 1, max: 128, pattern: FILTER_VALUE },
    });
    return { Values: values, Operator: filter.enum('Operator', FILTER_OPERATORS, { required: true }) };
  });
}

export function nextToken(p: Params): string | undefined {
  return p.string('NextToken', { min: 1, max: 2048 });
}
