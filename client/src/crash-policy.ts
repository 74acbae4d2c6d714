// Pure restart policy for the language server (no `vscode` import): restart after a crash, but give up with a clear
// message when it crashes too often in a short window, instead of looping forever.

export interface CrashDecision {
  restart: boolean;
  /** Shown to the user when the server is not restarted. */
  message?: string;
}

export class CrashPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly maxRestarts = 4,
    private readonly windowMs = 3 * 60_000,
  ) {}

  /** Records a crash at `now` and decides whether to restart. */
  onCrash(now = Date.now()): CrashDecision {
    this.crashes = [...this.crashes.filter((t) => now - t < this.windowMs), now];
    if (this.crashes.length <= this.maxRestarts) return { restart: true };
    const minutes = Math.round(this.windowMs / 60_000);
    return {
      restart: false,
      message:
        `The Serverless Lint server crashed ${this.crashes.length} times in the last ${minutes} minutes and was not restarted. ` +
        'See the "Serverless Lint" output for the error, then run "Serverless: Restart Server" to try again.',
    };
  }

  /** A manual restart starts the count afresh. */
  reset(): void {
    this.crashes = [];
  }
}
