import type { Command } from '../command.js';
import { analyzeCommand } from './analyze.js';
import { dbCommand } from './db.js';
import { evaluateCommand } from './evaluate.js';
import { ingestCommand } from './ingest.js';
import { planCommand } from './plan.js';
import { scoreCommand } from './score.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { tokenCommand } from './token.js';
import { trainCommand } from './train.js';

/** Every nbg command, in the order `nbg help` lists them. Add a command: one file, one line here. */
export const COMMANDS: readonly Command[] = [
  simulateCommand,
  dbCommand,
  ingestCommand,
  analyzeCommand,
  trainCommand,
  scoreCommand,
  planCommand,
  evaluateCommand,
  serveCommand,
  tokenCommand,
];
