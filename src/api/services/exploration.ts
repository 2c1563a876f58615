import neo4j from 'neo4j-driver';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type { GraphNode, GraphPath, GraphRelationship } from './api-types.js';
import type { ClientReads } from './client-reads.js';
import { numberOf } from './property-values.js';

const Q = {
  neighborhood: query('read/api-neighborhood'),
  path: query('read/api-path'),
  community: query('read/api-community'),
};

/** The analysts' reads of the graph: a client's neighbourhood, a shortest path, a community. */
export class Exploration {
  constructor(
    private readonly db: Db,
    private readonly clients: ClientReads,
  ) {}

  async neighborhood(
    clientId: string,
    depth: number,
    limit: number,
  ): Promise<{ nodes: GraphNode[]; relationships: GraphRelationship[] }> {
    await this.clients.requireClient(clientId);
    const rows = await this.db.read(Q.neighborhood, {
      id: clientId,
      depth: neo4j.int(depth),
      limit: neo4j.int(limit),
    });
    const nodes = new Map<string, GraphNode>();
    const rels = new Map<string, GraphRelationship>();
    for (const r of rows) {
      for (const n of r.nodes as GraphNode[]) nodes.set(n.id, { id: String(n.id), label: String(n.label) });
      for (const e of r.rels as GraphRelationship[]) rels.set(`${e.from}|${e.type}|${e.to}`, e);
    }
    return { nodes: [...nodes.values()], relationships: [...rels.values()] };
  }

  /**
   * A shortest path (at most 6 relationships) between the nodes with these ids, each looked up
   * through the unique-id index of its label (`fromLabel` / `toLabel` restrict it); null when they
   * are not connected. NOT_FOUND for an unknown id, BAD_USER_INPUT for an id two labels share.
   */
  async path(
    fromId: string,
    toId: string,
    fromLabel: string | null = null,
    toLabel: string | null = null,
  ): Promise<GraphPath | null> {
    const [row] = await this.db.read(Q.path, { fromId, toId, fromLabel, toLabel });
    const ends: [string, string | null, unknown][] = [
      [fromId, fromLabel, row?.fromLabels],
      [toId, toLabel, row?.toLabels],
    ];
    for (const [id, label, found] of ends) {
      const labels = (found as string[] | undefined) ?? [];
      if (labels.length === 0) {
        throw new NbgError(ErrorCode.NOT_FOUND, `no ${label ?? 'node'} has id ${id}`);
      }
      if (labels.length > 1) {
        throw new NbgError(
          ErrorCode.BAD_INPUT,
          `id ${id} names nodes of ${labels.length} labels (${labels.join(', ')}): pass fromLabel or toLabel`,
        );
      }
    }
    if (!row?.nodes) return null;
    return {
      kind: 'shortest',
      nodes: row.nodes as GraphNode[],
      relationships: row.rels as GraphRelationship[],
    };
  }

  async community(
    id: string,
    limit: number,
  ): Promise<{ id: string; size: number; members: string[] } | null> {
    const [row] = await this.db.read(Q.community, { id, limit: neo4j.int(limit) });
    if (!row) return null;
    return { id: String(row.id), size: numberOf(row.size), members: (row.members as unknown[]).map(String) };
  }
}
