// dist/server.js: starts the language server bundle (dist/server.bundle.js) through the V8 code cache. The cache is
// also written after 20 s, for a server that is killed rather than told to exit.
import { join } from 'node:path';
import { launch } from './code-cache';

launch(join(__dirname, 'server.bundle.js'), 20_000);
