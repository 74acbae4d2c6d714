// The typing clock: when each open document was last edited and when any was, so analyses wait out the debounce and
// background work (entry discovery, the warm-up) waits for a pause in typing.

/** Background work starts or goes on once no document was edited for this long. */
export const TYPING_PAUSE_MS = 500;

export class TypingClock {
  /** When each document last changed, for the debounce; open and save do not count as typing. */
  private readonly lastTyped = new Map<string, number>();
  /** Documents whose first content event (the open itself) has not been seen yet: no debounce for it. */
  private readonly justOpened = new Set<string>();
  /** When a document was last opened or edited. */
  private lastEdit = 0;

  opened(uri: string): void {
    this.lastTyped.delete(uri);
    this.justOpened.add(uri);
  }

  /** A document's content changed; true when this is the open itself (its first content event). */
  changed(uri: string): boolean {
    const opening = this.justOpened.delete(uri);
    // Opening a file counts as activity too: typing in it usually follows.
    this.lastEdit = Date.now();
    if (!opening) this.lastTyped.set(uri, this.lastEdit);
    return opening;
  }

  closed(uri: string): void {
    this.lastTyped.delete(uri);
    this.justOpened.delete(uri);
  }

  /** When the user last typed in a document (0: not since it opened). */
  typedAt(uri: string): number {
    return this.lastTyped.get(uri) ?? 0;
  }

  /** True when a document was opened or edited after `since` (a `Date.now()` value). */
  activeSince(since: number): boolean {
    return this.lastEdit > since;
  }

  /** Resolves once no document was opened or edited for TYPING_PAUSE_MS. */
  readonly whenIdle = async (): Promise<void> => {
    for (let quiet = Date.now() - this.lastEdit; quiet < TYPING_PAUSE_MS; quiet = Date.now() - this.lastEdit) {
      await new Promise((resolve) => setTimeout(resolve, TYPING_PAUSE_MS - quiet));
    }
  };
}
