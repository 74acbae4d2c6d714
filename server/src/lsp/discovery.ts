// Finds the workspace's function entries in the background (host/entry-discovery.ts) while the user is not typing,
// so a module opened alone gets its function role; runs after start and after settings or configs change.
import { discoverEntries } from '../host/entry-discovery';
import type { ServerContext } from './context';
import type { TypingClock } from './typing';
import { pathToUri } from './workspace';

/** How long a discovery waits before it starts, so a burst of changes starts one. */
const DISCOVERY_DELAY_MS = 200;

export class EntryDiscovery {
  /** Bumped by each new discovery, which makes a running one stop. */
  private generation = 0;

  /** `found` runs when a discovery found entries: the diagnostics of open documents may change. */
  constructor(
    private readonly ctx: ServerContext,
    private readonly typing: TypingClock,
    private readonly found: () => void,
  ) {}

  /** Starts a discovery shortly; a running one stops. */
  schedule(): void {
    const generation = ++this.generation;
    const { ctx } = this;
    setTimeout(async () => {
      if (generation !== this.generation) return;
      try {
        const found = await discoverEntries(ctx.registry.workspaceFolders, {
          serviceFor: async (file) => (await ctx.serviceForUri(pathToUri(file), file)).service,
          textOf: ctx.textOf,
          cancelled: () => generation !== this.generation,
          whenIdle: this.typing.whenIdle,
          isOpen: (file) => !!ctx.documents.get(pathToUri(file)),
        });
        if (generation === this.generation && found > 0) this.found();
      } catch (e) {
        ctx.connection.console.error(`Finding the workspace's function entries failed: ${(e as Error).stack ?? String(e)}`);
      }
    }, DISCOVERY_DELAY_MS);
  }
}
