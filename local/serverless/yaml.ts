import { parse, type CollectionTag, type ScalarTag } from 'yaml';

/**
 * YAML as serverless.yml and CloudFormation write it: the short-form intrinsic tags (`!Ref`,
 * `!GetAtt`, `!Sub`, …) become their long forms (`{ Ref: … }`, `{ 'Fn::GetAtt': […] }`), so the
 * rest of the loader sees one shape whichever form the author chose.
 */
const FUNCTIONS = [
  'And',
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAZs',
  'GetAtt',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Transform',
];

function longForm(name: string, value: unknown): Record<string, unknown> {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  // `!GetAtt Table.Arn` is the scalar short form of `Fn::GetAtt: [Table, Arn]`.
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

const tags: Array<ScalarTag | CollectionTag> = ['Ref', 'Condition', ...FUNCTIONS].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) } satisfies ScalarTag,
  ...(['seq', 'map'] as const).map((collection): CollectionTag => ({
    tag: `!${name}`,
    collection,
    resolve: (node) => longForm(name, node.toJSON()),
  })),
]);

export function parseCloudFormationYaml(text: string): unknown {
  return parse(text, { customTags: tags, maxAliasCount: -1 });
}
