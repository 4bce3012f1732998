// mw.Api's promise contract on wiki pages (mediawiki.api/index.js ajax, rest.js ajax): jQuery promises with
// .abort(); resolve (result, jqXHR); reject (code, result, result, jqXHR) for API errors and 'ok-but-empty';
// ('http', {xhr, textStatus, exception}) for everything else on the wire. The named Error of a failure is
// jqXHR.fwError (the 4th argument, or details.xhr).

import { makeJqXHR } from './jqxhr.js';

const EMPTY_INFO = 'OK response but empty result (check HTTP headers?)'; // mw.Api's own words

// An exception thrown by a .done() callback leaves jQuery's resolve(); it must not vanish into our chain.
function report(error) {
  queueMicrotask(() => {
    throw error;
  });
}

function http(textStatus, exception, xhr) {
  return ['http', { xhr, textStatus, exception }];
}

/** The arguments mw.Api's Action API promise rejects with, for one of our errors. */
export function actionFailArgs(error, abort) {
  const answer = error && error.http;
  const body = error ? error.result : undefined;
  const xhr = makeJqXHR(answer, { body, error, abort, statusText: textStatusOf(error) });
  if (!error || typeof error.category !== 'string') return http('error', '', xhr);
  // jQuery fails every non-2xx answer (but 304) before mw.Api looks at its body.
  if (answer && (answer.status < 200 || answer.status >= 300) && answer.status !== 304) {
    return http('error', answer.statusText || '', xhr);
  }
  switch (error.category) {
    case 'timeout':
      return http('timeout', 'timeout', xhr);
    case 'abort':
      return http('abort', 'abort', xhr);
    case 'network':
    case 'cors':
    case 'http':
      return http('error', answer ? answer.statusText || '' : '', xhr);
    case 'response':
      // jQuery's JSON converter fails on an empty body (a parsererror) unless the status says there is none (204).
      if (error.code === 'ok-but-empty' && !(answer && answer.text === '' && answer.status !== 204)) {
        return ['ok-but-empty', EMPTY_INFO, body === undefined ? null : body, xhr];
      }
      if (error.code === 'ok-but-empty') return http('parsererror', new SyntaxError('Unexpected end of JSON input'), xhr);
      return http('parsererror', new SyntaxError(error.info), xhr);
    default: {
      // API errors carry the whole body; our own codes (CentralAuth, usage, …) a body in the API's error shape.
      const result = body !== undefined && body !== null && typeof body === 'object' ? body : { error: { code: error.code, info: error.info } };
      return [error.code, result, result, xhr];
    }
  }
}

/** mw.Rest rejects every failure as ('http', {xhr, textStatus, exception}). */
export function restFailArgs(error, abort) {
  const answer = error && error.http;
  const xhr = makeJqXHR(answer, { body: error && error.result, error, abort, statusText: textStatusOf(error) });
  const category = error && error.category;
  if (category === 'timeout') return http('timeout', 'timeout', xhr);
  if (category === 'abort') return http('abort', 'abort', xhr);
  if (answer && answer.status >= 200 && answer.status < 300 && category === 'response') {
    return http('parsererror', new SyntaxError(error.info), xhr);
  }
  return http('error', answer ? answer.statusText || '' : '', xhr);
}

function textStatusOf(error) {
  const category = error && error.category;
  return category === 'timeout' || category === 'abort' ? category : 'error';
}

/**
 * A jQuery promise settled from `native` (a CompatPromise of ours with .abort()), in mw.Api's shape.
 * @param {object} $  the page's jQuery
 * @param {Promise & {abort(): void}} native
 * @param {(error: Error, abort: () => void) => unknown[]} failArgs
 * @param {() => object|undefined} answerOf  the completed call's answer (engine.js `http`), read on success
 * @param {boolean} [bare]  resolve with the value alone (getToken)
 */
export function jQueryPromise($, native, failArgs, answerOf, bare) {
  const deferred = $.Deferred();
  const abort = () => {
    native.abort();
  };
  native.then(
    (value) => {
      try {
        if (bare) deferred.resolve(value);
        else deferred.resolve(value, makeJqXHR(answerOf(), { body: value, abort }));
      } catch (error) {
        report(error);
      }
    },
    (error) => {
      try {
        deferred.reject(...failArgs(error, abort));
      } catch (thrown) {
        report(thrown);
      }
    },
  );
  return deferred.promise({ abort });
}
