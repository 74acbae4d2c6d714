// The one registry of rules, in alphabetical order. A test fails when a file in this folder is missing here.
import type { Rule } from '../analysis/rule';
import edgeConnectionOutlivesRequest from './edge-connection-outlives-request';
import edgeNoDynamicCode from './edge-no-dynamic-code';
import edgeNoNativeModule from './edge-no-native-module';
import edgeNoNodeBuiltin from './edge-no-node-builtin';
import edgeNoNodeGlobal from './edge-no-node-global';
import edgeTransitiveNodeImport from './edge-transitive-node-import';
import maxDurationExceedsLimit from './max-duration-exceeds-limit';
import noAwsSdkV2 from './no-aws-sdk-v2';
import noBackgroundTimer from './no-background-timer';
import noBlockingCpuInHandler from './no-blocking-cpu-in-handler';
import noClientPerInvocation from './no-client-per-invocation';
import noFloatingPromiseInHandler from './no-floating-promise-in-handler';
import noFsWriteOutsideTmp from './no-fs-write-outside-tmp';
import noHeavyModuleInit from './no-heavy-module-init';
import noLargeUploadInFunction from './no-large-upload-in-function';
import noModuleStatePersistence from './no-module-state-persistence';
import noProcessExit from './no-process-exit';
import noRequestStateInModuleScope from './no-request-state-in-module-scope';
import noServerListenInFunction from './no-server-listen-in-function';
import noUnboundedPolling from './no-unbounded-polling';
import noWebsocketServer from './no-websocket-server';
import noWorkAfterResponse from './no-work-after-response';
import preferNodeRuntime from './prefer-node-runtime';
import workersIoAcrossRequests from './workers-io-across-requests';

export const RULES: readonly Rule[] = [
  edgeConnectionOutlivesRequest,
  edgeNoDynamicCode,
  edgeNoNativeModule,
  edgeNoNodeBuiltin,
  edgeNoNodeGlobal,
  edgeTransitiveNodeImport,
  maxDurationExceedsLimit,
  noAwsSdkV2,
  noBackgroundTimer,
  noBlockingCpuInHandler,
  noClientPerInvocation,
  noFloatingPromiseInHandler,
  noFsWriteOutsideTmp,
  noHeavyModuleInit,
  noLargeUploadInFunction,
  noModuleStatePersistence,
  noProcessExit,
  noRequestStateInModuleScope,
  noServerListenInFunction,
  noUnboundedPolling,
  noWebsocketServer,
  noWorkAfterResponse,
  preferNodeRuntime,
  workersIoAcrossRequests,
];

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.meta.id));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
