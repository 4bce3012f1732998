// upload, uploadToStash, chunkedUpload, chunkedUploadToStash, uploadFromStash (mw.Api 1.39
// resources/src/mediawiki.api/upload.js). The chunk sequence, resuming and when a request may go again are the
// core's (wasm/core/src/upload_plan.cpp); this file slices the file, sends, waits and reports progress.

import { ApiError, ResponseError, UsageError, errorFromCore } from '../errors.js';
import { helperCall, plan, wait } from './run.js';

// The fields mw.Api passes through (upload.js `fieldsAllowed`), without the ones the helpers set themselves.
const PUBLISH_FIELDS = ['comment', 'text', 'watchlist', 'ignorewarnings', 'tags'];

/** A Blob for a File/Blob, a Buffer/typed array, or (in Node) a file path. */
async function toBlob(file) {
  if (typeof Blob === 'function' && file instanceof Blob) return file;
  if (file instanceof ArrayBuffer || ArrayBuffer.isView(file)) return new Blob([file]);
  if (typeof file === 'string' && globalThis.process?.versions?.node) {
    const fsName = 'node:fs'; // not a static import: browser builds must not try to bundle it
    const fs = await import(fsName);
    // openAsBlob (Node >= 19.8) reads the file as it is sent; Node 18 reads it whole first.
    return typeof fs.openAsBlob === 'function' ? fs.openAsBlob(file) : new Blob([await fs.promises.readFile(file)]);
  }
  throw new UsageError('bad-params', 'The file is not a Blob, File, Buffer or (in Node) a path.');
}

function publishParams(data = {}) {
  const out = {};
  for (const key of PUBLISH_FIELDS) if (data[key] !== undefined) out[key] = data[key];
  return out;
}

function requireFilename(data) {
  if (!data || !data.filename) throw new UsageError('bad-params', 'Filename not included in file data.');
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

// A publish or upload answered with warnings: mw.Api fails with the first warning's name (a nameless one, which no
// wiki sends, is skipped: wasm/core/src/upload_plan.cpp `warned` does the same); the file stays stashed.
function warningError(answer) {
  const code = Object.keys(answer.upload.warnings).find((name) => name !== '') || 'unknown';
  const error = new ApiError(code, `The wiki did not publish the file because of a warning (${code}).`, { result: answer });
  error.filekey = answer.upload.filekey;
  return error;
}

// What ApiUpload answers a one-request upload: `Success` (with the stash's filekey when stashing), or `Warning` with
// its warnings and nothing published. Anything else is not an answer MediaWiki gives, so the upload may or may not
// have happened: the caller is told so rather than handed a success.
function uploadOutcome(answer, stash) {
  const result = answer?.upload;
  if (isObject(result) && result.result === 'Success' && (!stash || (typeof result.filekey === 'string' && result.filekey)))
    return answer;
  if (isObject(result) && result.result === 'Warning' && isObject(result.warnings)) throw warningError(answer);
  throw new ResponseError('unexpected-response', 'The upload answer is neither Success nor Warning.', {
    result: answer,
    performed: 'maybe',
  });
}

/** upload(file, data): one multipart request (no chunks). */
export function upload(api, file, data = {}, options = {}) {
  return helperCall(async (step) => {
    if (!data.stash) requireFilename(data);
    const blob = await toBlob(file);
    const params = { action: 'upload', formatversion: 2, ...publishParams(data), file: blob };
    if (data.filename) params.filename = data.filename;
    if (data.stash) params.stash = true;
    const answer = await step(api.postWithToken('csrf', params, { timeout: 0 }));
    options.onProgress?.({ loaded: blob.size, total: blob.size });
    return uploadOutcome(answer, Boolean(data.stash));
  }, options);
}

/**
 * The chunked upload machine: chunks of `chunkSize` in order (MediaWiki takes them only in order), then the publish
 * unless `stashOnly`. options: {onProgress({loaded, total}), signal, resendBudget, async}. data.filekey resumes a
 * stashed upload from where the server stands.
 */
export function chunked(api, file, data, chunkSize, options = {}, stashOnly = false) {
  // mw.Api's fourth argument is chunkRetries: here it bounds the re-sends the server's offset justifies.
  if (typeof options === 'number') options = { resendBudget: options };
  return helperCall(async (step, signal) => {
    requireFilename(data);
    const blob = await toBlob(file);
    let state = await plan(api, 'upload', {
      plan: {
        phase: options.publishOnly ? 'publish' : 'chunk',
        size: blob.size,
        chunkSize: chunkSize ?? 5 * 1024 * 1024,
        filename: data.filename,
        filekey: data.filekey,
        stashOnly,
        async: Boolean(options.async),
        ignoreWarnings: Boolean(data.ignorewarnings),
        publish: publishParams(data),
        resendBudget: options.resendBudget,
      },
    });
    for (;;) {
      if (state.done) return { upload: state.done };
      if (state.fail) {
        const error = errorFromCore(state.fail);
        error.filekey = state.plan.filekey || undefined; // resume with chunkedUpload(file, {filekey, …})
        error.offset = state.plan.offset;
        throw error;
      }
      const { params, chunk, waitMs } = state.request;
      if (waitMs > 0) await wait(waitMs, signal);
      const send = chunk ? { ...params, chunk: blob.slice(chunk[0], chunk[1]) } : params;
      let outcome;
      try {
        outcome = { answer: await step(api.postWithToken('csrf', send, { timeout: 0 })) };
      } catch (error) {
        if (error?.category === 'abort' || !error?.category) throw error;
        outcome = { failure: { category: error.category, code: error.code, info: error.info, performed: error.performed, result: error.result } };
      }
      const before = state.plan.offset;
      state = await plan(api, 'upload', { plan: state.plan, ...outcome });
      if (state.plan.offset !== before) options.onProgress?.({ loaded: state.plan.offset, total: blob.size });
    }
  }, options);
}

/** mw.Api's finishUploadToStash: resolves with finish(moreData), which publishes the stashed file. */
function finisher(api, data) {
  return (result) => (moreData = {}) => uploadFromStash(api, result.upload.filekey, { ...data, ...moreData });
}

export function uploadToStash(api, file, data = {}, options = {}) {
  requireFilename(data);
  // A stash upload with warnings is still a Success (the file is stashed): they come back at the publish.
  return upload(api, file, { stash: true, filename: data.filename, ignorewarnings: data.ignorewarnings }, options).then(
    finisher(api, data),
  );
}

export function chunkedUploadToStash(api, file, data = {}, chunkSize, options = {}) {
  return chunked(api, file, data, chunkSize, options, true).then(finisher(api, data));
}

export function uploadFromStash(api, filekey, data = {}, options = {}) {
  return chunked(api, new Blob([]), { ...data, filekey }, undefined, { ...options, publishOnly: true });
}
