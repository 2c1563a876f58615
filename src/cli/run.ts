import { main } from './main.js';

// Runs the CLI with this process's arguments (bin/nbg.mjs loads the compiled copy of this file).
process.exitCode = await main(process.argv.slice(2));
