import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventPattern, matchesPattern, validatePattern } from '#local/events/pattern.ts';

/** A CloudTrail API call as EventBridge delivers it; `detail` entries replace the defaults. */
function apiCall(detail: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: '6f1d3c1e-0b5a-4d2e-9a57-3c1f0e2b7a10',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.workspaces',
    account: '111122223333',
    time: '2026-11-23T06:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      eventSource: 'workspaces.amazonaws.com',
      eventName: 'UpdateWorkspacesPool',
      awsRegion: 'us-east-1',
      sourceIPAddress: '10.0.0.7',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: { poolId: 'wspool-eu-prod', capacity: { desiredUserSessions: 40 } },
      responseElements: null,
      readOnly: false,
      eventType: 'AwsApiCall',
      ...detail,
    },
    ...envelope,
  };
}

/** The same call on AppStream, whose events name fleets. */
function fleetCall(detail: Record<string, unknown> = {}) {
  return apiCall(
    {
      eventSource: 'appstream.amazonaws.com',
      eventName: 'UpdateFleet',
      requestParameters: { name: 'fleet-a', computeCapacity: { desiredInstances: 5 } },
      ...detail,
    },
    { source: 'aws.appstream' },
  );
}

/** An event whose only field is `detail.value`, for the operator tables. */
const valued = (value: unknown) => ({ detail: { value } });

interface Case {
  because: string;
  event: unknown;
  matches: boolean;
}
const yes = (because: string, event: unknown): Case => ({ because, event, matches: true });
const no = (because: string, event: unknown): Case => ({ because, event, matches: false });

const catalogue: { title: string; pattern: EventPattern }[] = [];

/** Registers a pattern: one test per case, named as a sentence, plus a check that AWS would accept it. */
function describePattern(title: string, pattern: EventPattern, cases: Case[]) {
  catalogue.push({ title, pattern });
  describe(title, () => {
    it('is a valid pattern', () => {
      expect(validatePattern(pattern)).toEqual([]);
    });
    for (const { because, event, matches } of cases) {
      it(`${matches ? 'matches' : 'does not match'} ${because}`, () => {
        expect(matchesPattern(pattern, event)).toBe(matches);
      });
    }
  });
}

describe('matchesPattern', () => {
  describe('CloudTrail API-call rules', () => {
    describePattern(
      'the rule for WorkSpaces Pool updates',
      {
        source: ['aws.workspaces'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventName: ['UpdateWorkspacesPool'] },
      },
      [
        yes('an UpdateWorkspacesPool call recorded by CloudTrail', apiCall()),
        yes('a failed UpdateWorkspacesPool call, whose extra fields the rule ignores', apiCall({ errorCode: 'ThrottlingException' })),
        no('another WorkSpaces call', apiCall({ eventName: 'CreateWorkspacesPool' })),
        no('the same event name from another source', apiCall({}, { source: 'aws.appstream' })),
        no('an event of another detail-type', apiCall({}, { 'detail-type': 'WorkSpaces Pool State Change' })),
        no('an event without a detail', { source: 'aws.workspaces', 'detail-type': 'AWS API Call via CloudTrail' }),
        no('an event whose detail is a string', { ...apiCall(), detail: 'UpdateWorkspacesPool' }),
        no('something that is not an object at all', 'UpdateWorkspacesPool'),
        no('null', null),
      ],
    );

    describePattern(
      'the rule for AppStream fleet capacity changes',
      {
        source: ['aws.appstream'],
        detail: { eventName: ['UpdateFleet'], requestParameters: { computeCapacity: { desiredInstances: [{ exists: true }] } } },
      },
      [
        yes('an UpdateFleet call that sets the desired instances', fleetCall()),
        no('an UpdateFleet call that only renames the fleet', fleetCall({ requestParameters: { name: 'fleet-a', displayName: 'A' } })),
        no('an UpdateFleet call whose requestParameters are null', fleetCall({ requestParameters: null })),
        no('a WorkSpaces call', apiCall()),
      ],
    );
  });

  describe('plain values', () => {
    describePattern('a list of values', { source: ['aws.workspaces', 'aws.appstream'] }, [
      yes('the first value listed', { source: 'aws.workspaces' }),
      yes('the second value listed', { source: 'aws.appstream' }),
      no('a value not listed', { source: 'aws.ec2' }),
      no('a listed value in another case', { source: 'AWS.WORKSPACES' }),
      no('an event without the field', { region: 'us-east-1' }),
    ]);

    describePattern('a number', { detail: { value: [40] } }, [
      yes('the same number', valued(40)),
      yes('the same number written another way', valued(4.0e1)),
      no('the number as a string', valued('40')),
      no('another number', valued(41)),
    ]);

    describePattern('a boolean', { detail: { readOnly: [false] } }, [
      yes('the same boolean', apiCall({ readOnly: false })),
      no('the other boolean', apiCall({ readOnly: true })),
      no('the boolean as a string', apiCall({ readOnly: 'false' })),
    ]);

    describePattern('null', { detail: { responseElements: [null] } }, [
      yes('a field whose value is null', apiCall({ responseElements: null })),
      no('an event without the field', { detail: {} }),
      no('the string "null"', apiCall({ responseElements: 'null' })),
      no('an object', apiCall({ responseElements: { poolId: 'wspool-1' } })),
    ]);

    describePattern('the empty string', { detail: { value: [''] } }, [
      yes('an empty string', valued('')),
      no('null', valued(null)),
      no('a space', valued(' ')),
      no('an event without the field', { detail: {} }),
    ]);
  });

  describe('nesting and arrays', () => {
    describePattern(
      'nested fields',
      { detail: { eventName: ['UpdateFleet'], requestParameters: { name: ['fleet-a'] } } },
      [
        yes('an event where every nested field matches', fleetCall()),
        no('an event where one nested field differs', fleetCall({ requestParameters: { name: 'fleet-b' } })),
        no('an event where the nested field is missing', fleetCall({ requestParameters: {} })),
      ],
    );

    const pool = 'arn:aws:workspaces:us-east-1:111122223333:workspacespool/wspool-1';
    const desktop = 'arn:aws:workspaces:us-east-1:111122223333:workspace/ws-1';
    describePattern('a value the event holds in an array', { resources: [pool] }, [
      yes('an array containing it among others', { resources: [desktop, pool] }),
      yes('an array of arrays containing it', { resources: [[pool]] }),
      no('an empty array', { resources: [] }),
      no('an array of other values', { resources: [desktop] }),
    ]);

    describePattern('fields nested under an array of objects', { detail: { tags: { key: ['team'], value: ['euc'] } } }, [
      yes('one element holding both values', { detail: { tags: [{ key: 'owner', value: 'ops' }, { key: 'team', value: 'euc' }] } }),
      no('values split across two elements', { detail: { tags: [{ key: 'team', value: 'ops' }, { key: 'owner', value: 'euc' }] } }),
      yes('a plain object in place of the array', { detail: { tags: { key: 'team', value: 'euc' } } }),
    ]);

    it('ignores properties the event only inherits', () => {
      expect(matchesPattern({ constructor: [{ exists: true }] }, {})).toBe(false);
      expect(matchesPattern({ toString: [{ exists: false }] }, {})).toBe(true);
    });
  });

  describe('prefix', () => {
    describePattern('a prefix', { detail: { eventName: [{ prefix: 'Update' }] } }, [
      yes('a value starting with it', apiCall({ eventName: 'UpdateWorkspacesPool' })),
      yes('the prefix itself', apiCall({ eventName: 'Update' })),
      yes('an array with one element starting with it', apiCall({ eventName: ['DescribeFleets', 'UpdateFleet'] })),
      no('a value starting otherwise', apiCall({ eventName: 'DescribeWorkspacesPools' })),
      no('a value starting with it in another case', apiCall({ eventName: 'updateFleet' })),
      no('a number', apiCall({ eventName: 7 })),
    ]);

    describePattern('a prefix ignoring case', { detail: { eventName: [{ prefix: { 'equals-ignore-case': 'update' } }] } }, [
      yes('a value starting with it in capitals', apiCall({ eventName: 'UPDATEFLEET' })),
      yes('a value starting with it in mixed case', apiCall({ eventName: 'UpdateFleet' })),
      no('a value starting otherwise', apiCall({ eventName: 'DescribeFleets' })),
    ]);
  });

  describe('suffix', () => {
    describePattern('a suffix', { detail: { eventName: [{ suffix: 'Pool' }] } }, [
      yes('a value ending with it', apiCall({ eventName: 'UpdateWorkspacesPool' })),
      no('a value ending otherwise', apiCall({ eventName: 'DescribeWorkspacesPools' })),
      no('a value ending with it in another case', apiCall({ eventName: 'UpdateWorkspacesPOOL' })),
    ]);

    describePattern('a suffix ignoring case', { detail: { eventName: [{ suffix: { 'equals-ignore-case': 'POOL' } }] } }, [
      yes('a value ending with it in another case', apiCall({ eventName: 'UpdateWorkspacesPool' })),
      no('a value ending otherwise', apiCall({ eventName: 'UpdateFleet' })),
    ]);
  });

  describe('equals-ignore-case', () => {
    describePattern('a value ignoring case', { source: [{ 'equals-ignore-case': 'AWS.WorkSpaces' }] }, [
      yes('the value in lower case', { source: 'aws.workspaces' }),
      yes('the value in upper case', { source: 'AWS.WORKSPACES' }),
      no('a longer value', { source: 'aws.workspaces-web' }),
      no('a number', { source: 5 }),
    ]);
  });

  describe('anything-but', () => {
    describePattern('anything but one string', { detail: { eventName: [{ 'anything-but': 'DescribeWorkspaces' }] } }, [
      yes('another string', apiCall({ eventName: 'UpdateWorkspacesPool' })),
      yes('a value of another type, which is never excluded', apiCall({ eventName: 7 })),
      yes('an array with one element not excluded', apiCall({ eventName: ['DescribeWorkspaces', 'UpdateFleet'] })),
      no('the excluded string', apiCall({ eventName: 'DescribeWorkspaces' })),
      no('an array of only the excluded string', apiCall({ eventName: ['DescribeWorkspaces'] })),
      no('an event without the field', { detail: {} }),
    ]);

    describePattern('anything but a list of strings', { detail: { value: [{ 'anything-but': ['STOPPED', 'STOPPING'] }] } }, [
      yes('a string not listed', valued('RUNNING')),
      no('the first string listed', valued('STOPPED')),
      no('the second string listed', valued('STOPPING')),
    ]);

    describePattern('anything but a list of numbers', { detail: { value: [{ 'anything-but': [0, 100] }] } }, [
      yes('a number not listed', valued(40)),
      yes('a listed number written as a string', valued('0')),
      no('a listed number', valued(0)),
      no('a listed number written another way', valued(1e2)),
    ]);

    describePattern('anything but a prefix', { detail: { eventName: [{ 'anything-but': { prefix: 'Describe' } }] } }, [
      yes('a value starting otherwise', apiCall({ eventName: 'UpdateFleet' })),
      no('a value starting with it', apiCall({ eventName: 'DescribeFleets' })),
    ]);

    describePattern('anything but a suffix', { detail: { value: [{ 'anything-but': { suffix: '.png' } }] } }, [
      yes('a value ending otherwise', valued('logo.svg')),
      no('a value ending with it', valued('logo.png')),
    ]);

    const stoppedInAnyCase = { 'anything-but': { 'equals-ignore-case': ['stopped', 'stopping'] } };
    describePattern('anything but values ignoring case', { detail: { value: [stoppedInAnyCase] } }, [
      yes('a value not listed', valued('RUNNING')),
      no('a listed value in capitals', valued('STOPPED')),
      no('a listed value in mixed case', valued('Stopping')),
    ]);

    describePattern('anything but a wildcard', { detail: { value: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, [
      yes('a path outside /lib/', valued('src/main.ts')),
      no('a path inside /lib/', valued('node/lib/index.js')),
    ]);
  });

  describe('numeric', () => {
    describePattern(
      'a numeric range',
      { detail: { requestParameters: { capacity: { desiredUserSessions: [{ numeric: ['>', 0, '<=', 50] }] } } } },
      [
        yes('a number inside it', apiCall({ requestParameters: { capacity: { desiredUserSessions: 25.5 } } })),
        yes('its closed upper bound', apiCall({ requestParameters: { capacity: { desiredUserSessions: 50 } } })),
        no('its open lower bound', apiCall({ requestParameters: { capacity: { desiredUserSessions: 0 } } })),
        no('a number above it', apiCall({ requestParameters: { capacity: { desiredUserSessions: 51 } } })),
        no('a number written as a string', apiCall({ requestParameters: { capacity: { desiredUserSessions: '10' } } })),
      ],
    );

    describePattern('numeric equality', { detail: { value: [{ numeric: ['=', 3.018e2] }] } }, [
      yes('the same number written another way', valued(301.8)),
      no('a nearby number', valued(301.81)),
    ]);

    const comparisons: [operator: string, bound: number, value: number, holds: boolean][] = [
      ['<', 10, 9.99, true],
      ['<', 10, 10, false],
      ['<=', 10, 10, true],
      ['<=', 10, 10.01, false],
      ['>', -5, -4, true],
      ['>', -5, -5, false],
      ['>=', -5, -5, true],
      ['>=', -5, -6, false],
    ];
    it.each(comparisons)('compares with %s %d: %d gives %s', (operator, bound, value, holds) => {
      expect(matchesPattern({ detail: { value: [{ numeric: [operator, bound] }] } }, valued(value))).toBe(holds);
    });
  });

  describe('exists', () => {
    describePattern('a field that must exist', { detail: { errorCode: [{ exists: true }] } }, [
      yes('a failed call with an error code', apiCall({ errorCode: 'ThrottlingException' })),
      yes('a field whose value is null, which is still a value', apiCall({ errorCode: null })),
      no('a successful call without an error code', apiCall()),
      no('a field holding an object, which is not a leaf value', apiCall({ errorCode: { code: 'x' } })),
      no('a field holding an empty array', apiCall({ errorCode: [] })),
    ]);

    describePattern('a field that must not exist', { detail: { errorCode: [{ exists: false }] } }, [
      yes('a call without the field', apiCall()),
      yes('an event without the parent object', { source: 'aws.workspaces' }),
      yes('a field holding an object, which is not a leaf value', apiCall({ errorCode: { code: 'x' } })),
      no('a call with the field', apiCall({ errorCode: 'ThrottlingException' })),
      no('a field whose value is null', apiCall({ errorCode: null })),
    ]);
  });

  describe('cidr', () => {
    describePattern('an IPv4 block', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, [
      yes('an address inside it', apiCall({ sourceIPAddress: '10.0.0.255' })),
      no('an address just outside it', apiCall({ sourceIPAddress: '10.0.1.0' })),
      no('a service name, as CloudTrail records for calls AWS makes', apiCall({ sourceIPAddress: 'workspaces.amazonaws.com' })),
      no('an IPv6 address', apiCall({ sourceIPAddress: '::ffff:a00:7' })),
    ]);

    describePattern('an IPv6 block', { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } }, [
      yes('an address inside it', apiCall({ sourceIPAddress: '2001:db8:1::7' })),
      yes('an address inside it written in full', apiCall({ sourceIPAddress: '2001:0db8:0000:0000:0000:0000:0000:0001' })),
      no('an address outside it', apiCall({ sourceIPAddress: '2001:db9::1' })),
      no('an IPv4 address', apiCall({ sourceIPAddress: '10.0.0.7' })),
    ]);
  });

  describe('wildcard', () => {
    describePattern('a wildcard', { detail: { requestParameters: { poolId: [{ wildcard: 'wspool-*-prod' }] } } }, [
      yes('a value filling the star', apiCall({ requestParameters: { poolId: 'wspool-eu-west-prod' } })),
      yes('a value filling the star with nothing', apiCall({ requestParameters: { poolId: 'wspool--prod' } })),
      no('a value with more after the end', apiCall({ requestParameters: { poolId: 'wspool-eu-prod-2' } })),
      no('a value in another case', apiCall({ requestParameters: { poolId: 'WSPOOL-eu-prod' } })),
    ]);

    describePattern('a wildcard with several stars', { detail: { eventName: [{ wildcard: '*Workspaces*Pool*' }] } }, [
      yes('a value holding the parts in order', apiCall({ eventName: 'UpdateWorkspacesPool' })),
      no('a value holding the parts out of order', apiCall({ eventName: 'PoolOfWorkspaces' })),
    ]);

    describePattern('a wildcard with an escaped star', { detail: { value: [{ wildcard: 'a\\*b' }] } }, [
      yes('a literal star', valued('a*b')),
      no('another character in place of the star', valued('axb')),
    ]);

    describePattern('a wildcard with an escaped backslash', { detail: { value: [{ wildcard: 'C:\\\\*' }] } }, [
      yes('a backslash followed by anything', valued('C:\\Users')),
      no('no backslash', valued('C:/Users')),
    ]);
  });

  describe('$or', () => {
    describePattern(
      'a choice between an event name and an error',
      {
        source: ['aws.workspaces'],
        $or: [{ detail: { eventName: ['UpdateWorkspacesPool'] } }, { detail: { errorCode: [{ exists: true }] } }],
      },
      [
        yes('an event meeting the first branch', apiCall()),
        yes('an event meeting the second branch', apiCall({ eventName: 'CreateWorkspacesPool', errorCode: 'ValidationException' })),
        no('an event meeting neither branch', apiCall({ eventName: 'CreateWorkspacesPool' })),
        no('an event meeting a branch but not the fields beside $or', fleetCall({ eventName: 'UpdateWorkspacesPool' })),
      ],
    );

    describePattern(
      'a choice nested inside detail',
      { detail: { $or: [{ eventName: ['UpdateFleet'] }, { requestParameters: { name: [{ prefix: 'fleet-' }] } }] } },
      [
        yes('an event meeting the first branch', fleetCall({ requestParameters: null })),
        yes('an event meeting the second branch', fleetCall({ eventName: 'StartFleet' })),
        no('an event meeting neither branch', apiCall({ eventName: 'StartFleet' })),
      ],
    );
  });
});

describe('validatePattern', () => {
  const invalid: [pattern: unknown, problems: string[]][] = [
    [['aws.workspaces'], ['pattern: must be a JSON object of fields, e.g. {"source": ["aws.workspaces"]}']],
    [{}, ['pattern: must not be an empty object; name at least one field']],
    [{ detail: {} }, ['detail: must not be an empty object; name at least one field']],
    [{ source: 'aws.workspaces' }, ['source: must be an array of values, e.g. ["aws.workspaces"], or an object of nested fields']],
    [{ source: [] }, ['source: must not be an empty array; list at least one value']],
    [{ source: [['aws.workspaces']] }, ['source: values must be strings, finite numbers, booleans, null or operator objects']],
    [{ source: { prefix: 'aws.' } }, ['source: operators go inside an array: [{"prefix":"aws."}]']],
    [{ detail: { eventName: [{ prefix: 5 }] } }, ['detail.eventName: "prefix" takes a string or {"equals-ignore-case": string}']],
    [
      { detail: { eventName: [{ suffix: { 'equals-ignore-case': 5 } }] } },
      ['detail.eventName: "suffix" takes a string or {"equals-ignore-case": string}'],
    ],
    [{ source: [{ 'equals-ignore-case': ['aws.workspaces'] }] }, ['source: "equals-ignore-case" takes a string']],
    [{ source: [{ prefix: 'aws.', suffix: 'spaces' }] }, ['source: an operator object takes exactly one operator, got "prefix", "suffix"']],
    [{ source: [{}] }, ['source: an operator object takes exactly one operator, got none']],
    [
      { source: [{ contains: 'work' }] },
      ['source: unknown operator "contains"; use one of prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr'],
    ],
    [{ x: [{ exists: 'yes' }] }, ['x: "exists" takes true or false']],
    [{ x: [{ cidr: '10.0.0.0' }] }, ['x: "cidr" takes an IPv4 or IPv6 block such as "10.0.0.0/24", got "10.0.0.0"']],
    [{ x: [{ cidr: '10.0.0.0/33' }] }, ['x: "cidr" takes an IPv4 or IPv6 block such as "10.0.0.0/24", got "10.0.0.0/33"']],
    [{ x: [{ cidr: '10.0.0.256/8' }] }, ['x: "cidr" takes an IPv4 or IPv6 block such as "10.0.0.0/24", got "10.0.0.256/8"']],
    [{ x: [{ wildcard: 'a**b' }] }, ['x: "wildcard" "a**b" has consecutive * at position 2; one * already matches any run of characters']],
    [{ x: [{ wildcard: 'a\\d' }] }, ['x: "wildcard" "a\\\\d" has an unsupported escape "\\d"; only \\* and \\\\ are escapes']],
    [{ x: [{ wildcard: 'a\\' }] }, ['x: "wildcard" "a\\\\" has an unsupported escape "\\"; only \\* and \\\\ are escapes']],
    [{ x: [{ numeric: ['>', 5, '<', 1] }] }, ['x: "numeric" range is empty: the low bound 5 must be below the high bound 1']],
    [{ x: [{ 'anything-but': [] }] }, ['x: "anything-but" takes a list of all strings or all numbers, with at least one value']],
    [{ x: [{ 'anything-but': ['a', 1] }] }, ['x: "anything-but" takes a list of all strings or all numbers, with at least one value']],
    [{ x: [{ 'anything-but': { prefix: '' } }] }, ['x: "anything-but" {"prefix": …} takes a non-empty string or a list of them']],
    [
      { x: [{ 'anything-but': { wildcard: 'a**' } }] },
      ['x: "anything-but wildcard" "a**" has consecutive * at position 2; one * already matches any run of characters'],
    ],
    [{ $or: [{ source: ['aws.workspaces'] }] }, ['$or: takes an array of at least two objects of fields']],
    [{ $or: { source: ['aws.workspaces'] } }, ['$or: takes an array of at least two objects of fields']],
    [
      { $or: [{ prefix: ['aws.'] }, { source: ['aws.appstream'] }] },
      ['$or[0].prefix: "prefix" is an operator, not a field name; it cannot be a field inside $or'],
    ],
  ];
  it.each(invalid)('explains what is wrong with %j', (pattern, problems) => {
    expect(validatePattern(pattern)).toEqual(problems);
  });

  const numericUsage = '"numeric" takes [operator, number] or a range [">" or ">=", low, "<" or "<=", high]';
  it.each([[['>']], [['=', '5']], [['<', 1, '>', 0]], [['=', 1, '<', 5]], [['>', 0, '<', 5, 6]], ['> 5'], [['>', Infinity]]])(
    'shows how to write a numeric condition instead of %j',
    (numeric) => {
      expect(validatePattern({ x: [{ numeric }] })).toEqual([`x: ${numericUsage}`]);
    },
  );

  it('reports every problem, each at its own path', () => {
    expect(validatePattern({ source: 'aws.workspaces', detail: { eventName: [{ prefix: 5 }], errorCode: [{ exists: 1 }] } })).toEqual([
      'source: must be an array of values, e.g. ["aws.workspaces"], or an object of nested fields',
      'detail.eventName: "prefix" takes a string or {"equals-ignore-case": string}',
      'detail.errorCode: "exists" takes true or false',
    ]);
  });

  it('accepts every documented operator form', () => {
    const valid: EventPattern = {
      a: ['x', 1, true, null, ''],
      b: [{ 'anything-but': 'x' }, { 'anything-but': 5 }, { 'anything-but': [1, 2] }],
      c: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }, { 'anything-but': { suffix: '.png' } }],
      d: [{ 'anything-but': { 'equals-ignore-case': '' } }, { 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }],
      e: [{ numeric: ['=', 0] }, { numeric: ['>=', -1.5, '<', 1e9] }],
      f: [{ cidr: '2001:db8::/32' }, { cidr: '::/0' }, { wildcard: '' }, { prefix: '' }],
    };
    expect(validatePattern(valid)).toEqual([]);
  });
});

describe('properties', () => {
  const scalar = fc.oneof(fc.string({ maxLength: 2 }), fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant(null));
  /** Events shaped like CloudTrail calls but with arbitrary JSON where the patterns look. */
  const event = fc.oneof(
    fc.jsonValue(),
    fc.jsonValue().map((value) => apiCall({ eventName: value, errorCode: value, sourceIPAddress: value, requestParameters: value })),
    fc.jsonValue().map((value) => ({ detail: { value, tags: value } })),
  );

  it('never throws on arbitrary JSON events', () => {
    fc.assert(
      fc.property(event, (anything) => {
        for (const { pattern } of catalogue) matchesPattern(pattern, anything);
      }),
    );
  });

  it('never throws on arbitrary patterns, and validatePattern explains any of them in strings', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), event, (pattern, anything) => {
        matchesPattern(pattern, anything);
        expect(validatePattern(pattern).every((problem) => typeof problem === 'string')).toBe(true);
      }),
    );
  });

  it('matches a listed value exactly when the event holds one of them', () => {
    fc.assert(
      fc.property(fc.array(scalar, { minLength: 1, maxLength: 4 }), scalar, (values, value) => {
        expect(matchesPattern({ field: values }, { field: value })).toBe(values.includes(value));
      }),
    );
  });

  it('matches anything-but a list exactly when the listed values do not match', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 2 }), { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 2 }), (values, value) => {
        const excluded = matchesPattern({ field: values }, { field: value });
        expect(matchesPattern({ field: [{ 'anything-but': values }] }, { field: value })).toBe(!excluded);
      }),
    );
  });

  it('matches $or exactly when one of its branches matches', () => {
    const pattern = fc.constantFrom(...catalogue.map(({ pattern }) => pattern));
    fc.assert(
      fc.property(pattern, pattern, event, (first, second, anything) => {
        const either = matchesPattern(first, anything) || matchesPattern(second, anything);
        expect(matchesPattern({ $or: [first, second] }, anything)).toBe(either);
      }),
    );
  });

  it('matches a string with any prefix of it and any suffix of it', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (start, end) => {
        const event = { field: start + end };
        expect(matchesPattern({ field: [{ prefix: start }] }, event)).toBe(true);
        expect(matchesPattern({ field: [{ suffix: end }] }, event)).toBe(true);
      }),
    );
  });

  it('matches a numeric range exactly when the number lies inside it', () => {
    const number = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(number, number, number, (a, b, value) => {
        const [low, high] = a < b ? [a, b] : [b, a];
        fc.pre(low < high);
        const pattern = { field: [{ numeric: ['>', low, '<=', high] }] };
        expect(validatePattern(pattern)).toEqual([]);
        expect(matchesPattern(pattern, { field: value })).toBe(value > low && value <= high);
      }),
    );
  });

  it('turns any string into a valid wildcard that matches that string and nothing else', () => {
    const escape = (text: string) => text.replace(/[\\*]/g, '\\$&');
    fc.assert(
      fc.property(fc.string(), fc.string(), (text, other) => {
        const pattern = { field: [{ wildcard: escape(text) }] };
        expect(validatePattern(pattern)).toEqual([]);
        expect(matchesPattern(pattern, { field: text })).toBe(true);
        expect(matchesPattern(pattern, { field: other })).toBe(other === text);
      }),
    );
  });

  it('matches a star wildcard exactly when the value has the parts around the star in order', () => {
    const part = fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 3 });
    fc.assert(
      fc.property(part, part, fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 8 }), (head, tail, value) => {
        const expected = value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
        expect(matchesPattern({ field: [{ wildcard: `${head}*${tail}` }] }, { field: value })).toBe(expected);
      }),
    );
  });
});
