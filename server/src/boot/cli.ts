// dist/cli.js: starts the CLI bundle (dist/cli.bundle.js) through the V8 code cache, written when the process exits.
import { join } from 'node:path';
import { launch } from './code-cache';

launch(join(__dirname, 'cli.bundle.js'));
