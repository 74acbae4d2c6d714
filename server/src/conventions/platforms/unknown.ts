// No platform configuration: the file's own shape may still say where it runs (an exported Lambda `handler` …).
import type { PlatformModule } from '../types';

const unknown: PlatformModule = {
  id: 'unknown',
  label: 'No platform',
  markers: [],
  serverless: false,
  runtimes: ['node', 'edge'],
  runtimeLabels: { node: 'Node', edge: 'Edge' },
  waitUntil: () => 'none',
  limits: () => undefined,
};

export default unknown;
