import { join } from 'node:path';
import { loadConfig } from '../../config.js';
import { withConnection } from '../../db/connect.js';
import { migrate } from '../../db/migrate.js';
import { openDb } from '../../db/open-db.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { bulkTarget } from '../../ingest/bulk.js';
import { type IngestSummary, ingest } from '../../ingest/index.js';
import { boolFlag, intFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { type Progress, progress } from '../progress.js';

const usage = `nbg ingest DIR [--skip-bad-rows] [--batch-size N] [--report-dir DIR] [--no-bulk]

Validates every file of the dataset folder DIR (docs/data-contract.md), then writes it into Neo4j in
batched, idempotent transactions. Any bad row: nothing is written, the problems are listed
(file:line:column: reason) and the exit code is 2. With --skip-bad-rows the good rows go in and the
bad ones go to a rejects file beside the report. Re-running an ingest (also after a crash) is safe.

A first load into the local embedded Neo4j (no NEO4J_URI) whose graph is empty goes through Neo4j's
offline importer instead: the database stops, the store is built beside it and swapped in when
complete, the database starts again and the schema is applied. Much faster; the same graph.

  --skip-bad-rows   write the valid rows; bad rows go to REPORT_DIR/rejects.csv
  --batch-size N    rows per write transaction (default 10000)
  --report-dir DIR  where report.txt and rejects.csv go (default DATA_DIR/reports/ingest-TIMESTAMP)
  --no-bulk         always write through transactions (no offline import, the database stays up)`;

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'validate a dataset folder and load it into the knowledge graph',
  usage,
  options: {
    'skip-bad-rows': { type: 'boolean' },
    'batch-size': { type: 'string' },
    'report-dir': { type: 'string' },
    'no-bulk': { type: 'boolean' },
  },
  allowPositionals: true,
  async run(args) {
    const dir = args.positionals[0];
    if (!dir)
      throw new NbgError(ErrorCode.BAD_CONFIG, 'nbg ingest: the dataset folder is required (nbg ingest DIR)');
    const config = loadConfig();
    const batchSize = intFlag(args, 'batch-size', 10_000, 1, 1_000_000);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const reportDir = stringFlag(args, 'report-dir') ?? join(config.dataDir, 'reports', `ingest-${stamp}`);
    const noBulk = boolFlag(args, 'no-bulk');
    const skipBadRows = boolFlag(args, 'skip-bad-rows');
    return withConnection(config, async ({ db, target }) => {
      await migrate(db);
      const local = noBulk ? undefined : target.local;
      // The offline import stops the local database: this connection's driver goes with it, and
      // a new one is opened on the restarted database (same port).
      const bulk = local
        ? bulkTarget(local, db, () => openDb({ ...target, registry: db.registry }))
        : undefined;
      try {
        let bar: Progress | undefined;
        let phase = '';
        const summary = await ingest(db, dir, {
          ...(bulk ? { bulk: bulk.target } : {}),
          skipBadRows,
          batchSize,
          reportDir,
          onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
          onProgress: (p, done, total) => {
            if (p !== phase) {
              bar?.done();
              phase = p;
              if (p === 'import') {
                bar = undefined;
                process.stderr.write('importing offline (the local Neo4j restarts)...\n');
                return;
              }
              bar = progress({
                label: p === 'validate' ? 'validating' : 'writing',
                ...(total ? { total } : {}),
              });
            }
            bar?.set(done);
          },
        });
        bar?.done();
        printSummary(summary);
        return 0;
      } finally {
        if (bulk && bulk.current() !== db) await bulk.current().close();
      }
    });
  },
};

function printSummary(summary: IngestSummary): void {
  const w = Math.max(...summary.files.map((f) => f.file.length));
  process.stdout.write(
    `\n${'file'.padEnd(w)}  ${'read'.padStart(10)}  ${'written'.padStart(10)}  ${'rejected'.padStart(8)}  ${'write s'.padStart(8)}\n`,
  );
  for (const f of summary.files) {
    process.stdout.write(
      `${f.file.padEnd(w)}  ${String(f.rowsRead).padStart(10)}  ${String(f.rowsWritten).padStart(10)}  ${String(f.rejected).padStart(8)}  ${f.writeSeconds.toFixed(1).padStart(8)}\n`,
    );
  }
  const b = summary.bulkPhases;
  if (b)
    process.stdout.write(
      `\noffline import: input ${b.inputSeconds.toFixed(1)}s, stop + import + restart ${b.offlineSeconds.toFixed(1)}s (importer ${b.importSeconds.toFixed(1)}s), schema ${b.schemaSeconds.toFixed(1)}s\n`,
    );
  process.stdout.write(
    `\ningested ${summary.rowsWritten.toLocaleString('en')} of ${summary.rowsRead.toLocaleString('en')} rows in ${summary.seconds.toFixed(1)}s ` +
      `(${Math.round(summary.rowsPerSecond).toLocaleString('en')} rows/s; validation ${summary.validateSeconds.toFixed(1)}s; ${summary.mode})` +
      `${summary.policyVersion ? `, policy ${summary.policyVersion}` : ''}\n`,
  );
  if (summary.rejectsPath)
    process.stdout.write(`${summary.rejected} bad row(s) skipped: ${summary.rejectsPath}\n`);
}
