import { buildSchema, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { measure, QUERY_LIMIT_DEFAULTS } from '../../src/api/plugins/query-limits.js';

const schema = buildSchema(`type Query { a(limit: Int): [A!]! one: A }
type A { x: Int b: [B!]! c: C }
type B { y: Int }
type C { z: Int }`);

function m(q: string) {
  const doc = parse(q);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fr: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fr[d.name.value] = d;
  return measure(
    op.selectionSet,
    fr,
    QUERY_LIMIT_DEFAULTS,
    schema.getQueryType() ?? undefined,
    new Set(),
    schema,
  );
}

describe('measure', () => {
  it.each([
    ['one scalar below an object', '{ one { x } }', { depth: 2, cost: 2 }],
    ['list with limit', '{ a(limit: 5) { x } }', { depth: 2, cost: 6 }],
    ['list without limit counts 10', '{ a { x } }', { depth: 2, cost: 11 }],
    ['nested list', '{ a(limit: 2) { b { y } } }', { depth: 3, cost: 1 + 2 * (1 + 10) }],
    ['object in list is not multiplied', '{ a(limit: 2) { c { z } } }', { depth: 3, cost: 1 + 2 * 2 }],
    ['fragments expanded', 'query { one { ...F } } fragment F on A { x c { z } }', { depth: 3, cost: 1 + 3 }],
    ['introspection ignored', '{ __typename one { x } }', { depth: 2, cost: 2 }],
  ])('%s', (_n, q, expected) => {
    expect(m(q)).toEqual(expected);
  });
});
