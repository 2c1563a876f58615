import { ROLES, signToken } from '../../api/auth.js';
import { apiSecret } from '../../api/secret.js';
import { loadConfig } from '../../config.js';
import { choiceFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';

const usage = `nbg token --role advisor|compliance|analyst|admin [--advisor ID] [--ttl 8h]

Prints a bearer token (HS256 JWT) for the API, signed with NBG_JWT_SECRET, or, when unset, with the
demo secret that nbg serve stores under the data dir. An advisor token needs --advisor (the advisor
id of the clients it may reach). --ttl uses the jose syntax: 30m, 8h, 2d.`;

export const tokenCommand: Command = {
  name: 'token',
  summary: 'print a bearer token for the API (demo)',
  usage,
  options: { role: { type: 'string' }, advisor: { type: 'string' }, ttl: { type: 'string' } },
  async run(args) {
    const role = choiceFlag(args, 'role', ROLES, 'admin');
    const config = loadConfig();
    const advisorId = stringFlag(args, 'advisor');
    const token = await signToken(apiSecret(config.dataDir), role, {
      ...(advisorId ? { advisorId } : {}),
      ttl: stringFlag(args, 'ttl', '8h') ?? '8h',
    });
    process.stdout.write(`${token}\n`);
    return 0;
  },
};
