// dist/cli.js: starts the CLI bundle (dist/cli.bundle.js) through the V8 code cache (see code-cache.ts).
import { join } from 'node:path';
import { launch } from './code-cache';
import { pinYoungGeneration } from '../host/heap';

// Before the bundle is compiled: the code cache records V8's flags.
pinYoungGeneration();
launch(join(__dirname, 'cli.bundle.js'));
