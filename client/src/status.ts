// Pure formatting of the status bar item (no `vscode` import, so it is unit-tested in test/client/):
// a file's context as "Vercel · Node (Fluid) · route handler", and its tooltip with the reasons.
import type { FileContextSummary } from '../../shared/src/protocol';
import { PLATFORM_DISPLAY } from '../../shared/src/conventions.generated';

/** The platform's name, from its platform module (generated into shared/, so the client needs no analysis code). */
export function platformLabel(platform: string): string {
  return PLATFORM_DISPLAY[platform]?.label ?? platform;
}

/** The runtime as people call it on that platform: Vercel's Node functions run on Fluid compute, Workers on V8 isolates. */
export function runtimeLabel(platform: string, runtime: string): string {
  const own = PLATFORM_DISPLAY[platform]?.runtimeLabels[runtime as 'node' | 'edge' | 'python'];
  return own ?? (runtime === 'edge' ? 'Edge' : 'Node');
}

export function roleLabel(role: string, handlerKinds: readonly string[]): string {
  switch (role) {
    case 'function-entry':
      return handlerKinds[0] ?? 'function entry';
    case 'function-module':
      return 'function module';
    case 'long-running-server':
      return 'long-running server';
    case 'client':
      return 'client code';
    default:
      return 'not function code';
  }
}

/** The status bar text, e.g. "Vercel · Node (Fluid) · route handler". */
export function statusText(s: FileContextSummary): string {
  if (s.skipped) return 'Serverless Lint: skipped';
  return `${platformLabel(s.platform)} · ${runtimeLabel(s.platform, s.runtime)} · ${roleLabel(s.role, s.handlerKinds)}`;
}

/** The tooltip: why each part was decided, and what a click does. Plain text (the status bar shows it as is). */
export function statusTooltip(s: FileContextSummary): string {
  if (s.skipped) return `Serverless Lint skipped this file: ${s.skipped}.`;
  return [
    `Platform: ${platformLabel(s.platform)} — ${s.reasons.platform}`,
    `Runtime: ${runtimeLabel(s.platform, s.runtime)} — ${s.reasons.runtime}`,
    `Role: ${roleLabel(s.role, s.handlerKinds)} — ${s.reasons.role}`,
    `Plan: ${s.plan} — ${s.reasons.plan}`,
    '',
    'Click to show the runtime constraints for this file.',
  ].join('\n');
}
