import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/embedded/free-port.js';
import { openDb } from '../../src/db/open-db.js';
import { ErrorCode, NbgError } from '../../src/errors.js';

describe('openDb', () => {
  it('checks the server before handing out a Db: nothing listening is SERVICE_UNAVAILABLE naming the URI', async () => {
    // A port that was free a moment ago: nothing answers Bolt there.
    const uri = `bolt://127.0.0.1:${await freePort()}`;
    const e = await openDb({ uri, user: 'neo4j', password: 'x', database: 'neo4j' }).catch((err) => err);
    expect(e).toBeInstanceOf(NbgError);
    expect((e as NbgError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect((e as NbgError).message).toContain(uri);
  });
});
