import { DEFAULTS, LOGGING_POLICIES, WORLD_FAMILIES } from '../../simulate/config.js';
import { simulate } from '../../simulate/index.js';
import { boolFlag, choiceFlag, intFlag, numberFlag, requiredStringFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { progress } from '../progress.js';

const usage = `nbg simulate --out DIR [--clients N] [--seed S] [--months M] [--start YYYY-MM-01]
             [--world default|mild-bias] [--logging-policy biased|random|mixed] [--exploration E]
             [--hide-propensities]

Writes a synthetic French retail-bank world into DIR: every file of the data contract, policy.json,
and truth/ (meta.json, response.csv with the true conversion probabilities with and without a contact
at the evaluation date, clients.csv with each client's persona and satisfaction). The same seed gives
the same bytes. The model is described in docs/simulator.md.

  --out DIR              output folder (created; existing files are overwritten)
  --clients N            number of clients (default ${DEFAULTS.clients}; 100k and 1m accepted)
  --seed S               seed, a number or a word (default ${DEFAULTS.seed})
  --months M             months of history (default ${DEFAULTS.months})
  --start DATE           first day of the history (default ${DEFAULTS.startDate})
  --world W              family of worlds (default ${DEFAULTS.world}):
                           default    rounds every 14 days; the old targeting over-solicits affluent
                                      and older clients, where sure things and sleeping dogs sit
                           mild-bias  monthly campaigns (rounds on each 1st); the same need drives
                                      conversion and uplift, response types rare, targeting bias mild,
                                      channel effects by client type, some negative (phone for the young)
  --logging-policy P     historical targeting: biased (default), random or mixed
  --exploration E        share of the biased policy spread uniformly, 0..1 (default ${DEFAULTS.exploration})
  --hide-propensities    leave solicitations.logging_propensity empty (truth/ keeps it)`;

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'write a simulated bank world (data contract + truth/) into a folder',
  usage,
  options: {
    out: { type: 'string' },
    clients: { type: 'string' },
    seed: { type: 'string' },
    months: { type: 'string' },
    start: { type: 'string' },
    world: { type: 'string' },
    'logging-policy': { type: 'string' },
    exploration: { type: 'string' },
    'hide-propensities': { type: 'boolean' },
  },
  async run(args) {
    const out = requiredStringFlag(args, 'out');
    const clients = intFlag(args, 'clients', DEFAULTS.clients, 1, 20_000_000);
    const seedText = stringFlag(args, 'seed', String(DEFAULTS.seed))!;
    const seed = /^\d+$/.test(seedText) ? Number(seedText) : seedText;
    const bar = progress({ label: 'simulating', total: clients, unit: 'clients' });
    const summary = await simulate({
      out,
      clients,
      seed,
      months: intFlag(args, 'months', DEFAULTS.months, 3, 120),
      startDate: stringFlag(args, 'start', DEFAULTS.startDate)!,
      world: choiceFlag(args, 'world', WORLD_FAMILIES, DEFAULTS.world),
      loggingPolicy: choiceFlag(args, 'logging-policy', LOGGING_POLICIES, DEFAULTS.loggingPolicy),
      exploration: numberFlag(args, 'exploration', DEFAULTS.exploration, 0, 1),
      hidePropensities: boolFlag(args, 'hide-propensities'),
      onProgress: (n) => bar.set(n),
    });
    bar.done();
    const lines = Object.entries(summary.rows).map(([f, n]) => `  ${f.padEnd(22)} ${n.toLocaleString('en')}`);
    process.stdout.write(
      `Simulated ${summary.clients.toLocaleString('en')} clients (seed ${summary.seed}) of the ${summary.world} world into ${summary.out} ` +
        `in ${summary.seconds.toFixed(1)} s; evaluation date ${summary.evaluationDate}, horizon ${summary.horizonDays} days.\n` +
        `${lines.join('\n')}\n`,
    );
    return 0;
  },
};
