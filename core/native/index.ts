export { encodeTagged, decodeTagged, TAG, type EncodeProblem } from './tagged-json.ts';
export { invokeNative, runEntry, userStack, MIN_NODE_MAJOR, type NativeReply } from './entry-runtime.ts';
export type { NativeBundler, BundleRequest, Bundle } from './contract.ts';
export { prepareInvocation, nativeCommand, parseReply, thrownReason, userFrame, moduleFile, resultFileFor, BUNDLE_MOUNT, NO_NODE_MESSAGE, type NativeInvocation } from './invocation.ts';
export { registerModule, locateFunction } from './locate.ts';
export { unbundled } from './unbundled.ts';
export { readReply, readReturnValue } from './read-reply.ts';
