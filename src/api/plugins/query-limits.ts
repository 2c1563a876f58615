import type { ApolloServerPlugin } from '@apollo/server';
import {
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { ApiErrorCode, apiError } from '../errors.js';

/** Limits of one GraphQL operation. */
export interface QueryLimitOptions {
  /** Maximum nesting of selections (the operation's top-level fields are depth 1). */
  readonly maxDepth: number;
  /** Maximum estimated cost: each field costs 1, times the `limit` argument (or defaultListSize) of every list field above it. */
  readonly maxCost: number;
  /** Multiplier assumed for a list field without a `limit` argument. */
  readonly defaultListSize: number;
}
export const QUERY_LIMIT_DEFAULTS: QueryLimitOptions = { maxDepth: 8, maxCost: 5000, defaultListSize: 10 };

/** Depth and estimated cost of a selection set (fragments expanded; a fragment cycle is cut). */
export function measure(
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  options: QueryLimitOptions = QUERY_LIMIT_DEFAULTS,
  parent?: GraphQLNamedType,
  seen: ReadonlySet<string> = new Set(),
  schema?: GraphQLSchema,
): { depth: number; cost: number } {
  let depth = 0;
  let cost = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue;
      const limitArg = sel.arguments?.find((a) => a.name.value === 'limit');
      // Types are read from their SDL spelling ("[Recommendation!]!"), not with graphql's instanceof
      // helpers: Apollo may load the other (CJS/ESM) copy of graphql.
      const def = parent && 'getFields' in parent ? parent.getFields()[sel.name.value] : undefined;
      const spelled = def ? String(def.type) : '';
      const isList = def ? spelled.replace(/!$/, '').startsWith('[') : sel.selectionSet !== undefined;
      const mult =
        limitArg?.value.kind === Kind.INT
          ? Number(limitArg.value.value)
          : isList
            ? options.defaultListSize
            : 1;
      const child = def && schema ? (schema.getType(spelled.replace(/[[\]!]/g, '')) ?? undefined) : undefined;
      const inner = sel.selectionSet
        ? measure(sel.selectionSet, fragments, options, child, seen, schema)
        : { depth: 0, cost: 0 };
      depth = Math.max(depth, 1 + inner.depth);
      cost += 1 + Math.max(1, mult) * inner.cost;
    } else {
      const name = sel.kind === Kind.FRAGMENT_SPREAD ? sel.name.value : undefined;
      if (name && seen.has(name)) continue;
      const inner =
        sel.kind === Kind.INLINE_FRAGMENT ? sel.selectionSet : fragments[name ?? '']?.selectionSet;
      if (!inner) continue;
      const m = measure(inner, fragments, options, parent, name ? new Set([...seen, name]) : seen, schema);
      depth = Math.max(depth, m.depth);
      cost += m.cost;
    }
  }
  return { depth, cost };
}

/** Refuses operations deeper than maxDepth (QUERY_TOO_DEEP) or costlier than maxCost (QUERY_TOO_COSTLY). */
export function queryLimitsPlugin<T extends object>(
  options: QueryLimitOptions = QUERY_LIMIT_DEFAULTS,
): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema }) {
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const d of document.definitions)
            if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
          if (!operation) return;
          const { depth, cost } = measure(
            operation.selectionSet,
            fragments,
            options,
            rootType(schema, operation.operation),
            new Set(),
            schema,
          );
          if (depth > options.maxDepth)
            throw apiError(
              ApiErrorCode.QUERY_TOO_DEEP,
              `query depth ${depth} exceeds the maximum ${options.maxDepth}`,
            );
          if (cost > options.maxCost)
            throw apiError(
              ApiErrorCode.QUERY_TOO_COSTLY,
              `query cost ${cost} exceeds the maximum ${options.maxCost}`,
            );
        },
      };
    },
  };
}

function rootType(schema: GraphQLSchema, op: string): GraphQLNamedType | undefined {
  return (
    (op === 'mutation'
      ? schema.getMutationType()
      : op === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType()) ?? undefined
  );
}
