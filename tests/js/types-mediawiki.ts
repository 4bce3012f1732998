// A gadget's view of the package on a wiki page, typed with types-mediawiki (tests/js/consumer.test.mjs runs tsc on
// it). Our classes cannot stand in for types-mediawiki's mw.ForeignApi / mw.ForeignRest as types — mw.Api has a
// private member, two internal methods ours lack, and jQuery promises — so this file asserts exactly which members differ
// (docs/types.md lists them) and that everything the two share is used the same way. tsc must accept every line;
// every @ts-expect-error must really be an error; a change on either side changes an Equal<> below.
import { ForeignApi, ForeignRest, type AbortablePromise, type ApiResponse, type Uninstall } from 'foreign-wasm';
import type { UnknownApiParams } from 'types-mediawiki-api';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

const url = 'https://commons.wikimedia.org/w/api.php';
const restUrl = 'https://commons.wikimedia.org/w/rest.php';

// The members of mw.ForeignApi (mw.Api) that ForeignApi does not have: calling one on an install()ed
// mw.ForeignApi is a TypeError at runtime. (Both are mw.Api 1.44's internals for its own plugins.)
type MissingFromForeignApi = 'makeAbortablePromise' | 'prepareExtensibleApiRequest';
assertType<Equal<Exclude<keyof mw.ForeignApi, keyof ForeignApi>, MissingFromForeignApi>>();
// What the two share (the helpers of js/src/helpers/ included), and what only ours has.
type SharedWithForeignApi =
  | 'abort' | 'ajax' | 'badToken' | 'get' | 'getEditToken' | 'getToken' | 'post' | 'postWithEditToken' | 'postWithToken'
  | 'assertCurrentUser' | 'chunkedUpload' | 'chunkedUploadToStash' | 'create' | 'edit' | 'getCategories'
  | 'getCategoriesByPrefix' | 'getErrorMessage' | 'getMessages' | 'getUserInfo' | 'isCategory' | 'loadMessages'
  | 'loadMessagesIfMissing' | 'login' | 'newSection' | 'parse' | 'rollback' | 'saveOption' | 'saveOptions'
  | 'unwatch' | 'upload' | 'uploadFromStash' | 'uploadToStash' | 'watch';
assertType<Equal<Extract<keyof mw.ForeignApi, keyof ForeignApi>, SharedWithForeignApi>>();
assertType<Equal<Exclude<keyof ForeignApi, keyof mw.ForeignApi>, 'apiUrl' | 'options' | 'messages' | 'loggedInAs' | 'queryBatches' | 'queryFullPages'>>();
// Statics: OOjs's class bookkeeping and mw.Api.AbortController.
assertType<Equal<Exclude<keyof typeof mw.ForeignApi, keyof typeof ForeignApi>, 'static' | 'super' | 'parent' | 'AbortController'>>();

// mw.ForeignRest (mw.Rest): nothing is missing; ours adds patch() and request().
assertType<Equal<Exclude<keyof mw.ForeignRest, keyof ForeignRest>, never>>();
assertType<Equal<Extract<keyof mw.ForeignRest, keyof ForeignRest>, 'abort' | 'ajax' | 'get' | 'post' | 'put' | 'delete'>>();
assertType<Equal<Exclude<keyof ForeignRest, keyof mw.ForeignRest>, 'url' | 'options' | 'patch' | 'request'>>();
assertType<Equal<Exclude<keyof typeof mw.ForeignRest, keyof typeof ForeignRest>, 'static' | 'super' | 'parent'>>();

// The promises: jQuery's state(), progress() and pipe() are missing; then/catch/done/fail/always/promise/abort exist.
assertType<Equal<Exclude<keyof mw.Api.AbortablePromise, keyof AbortablePromise<ApiResponse>>, 'state' | 'progress' | 'pipe'>>();

// Call sites written for mw.ForeignApi: the same arguments (types-mediawiki's own parameter types) compile.
function sharedCalls(api: ForeignApi, rest: ForeignRest, params: UnknownApiParams): void {
  api.get(params);
  api.post(params);
  api.ajax(params, { type: 'POST' });
  api.postWithToken('csrf', params);
  api.postWithEditToken(params);
  api.getToken('csrf');
  api.getToken('csrf', 'user');
  api.getEditToken();
  api.badToken('csrf');
  api.abort();
  // The jQuery.ajax settings ForeignApi reads: type, timeout, headers, and signal (mw.Api 1.44).
  api.get(params, { timeout: 5000, headers: { 'X-Tool': 'demo' }, signal: AbortSignal.timeout(5000) });
  api
    .get(params)
    .done((result) => console.log(result.query))
    .fail((code: string, result: any) => console.log(code, result))
    .always(() => console.log('done'))
    .abort();
  const awaited: PromiseLike<ApiResponse> = api.get(params);
  const token: PromiseLike<string> = api.getToken('csrf');
  console.log(awaited, token);

  rest.get('/v1/page/Main_Page', {}, { 'X-Tool': 'demo' });
  rest.post('/v1/x', { a: 1 });
  rest.put('/v1/x', { a: 1 });
  rest.delete('/v1/x', { a: 1 });
  rest.abort();
}

// Options: mw.ForeignApi.Options without `ajax` fit; `ajax` is a whole jQuery.AjaxSettings there.
function options(mwOptions: mw.ForeignApi.Options, restOptions: mw.ForeignRest.Options): void {
  const { ajax, ...rest } = mwOptions;
  new ForeignApi(url, rest);
  new ForeignApi(url, { ...rest, ajax: { timeout: ajax?.timeout, headers: { 'X-Tool': 'demo' } } });
  const { ajax: restAjax, ...restRest } = restOptions;
  new ForeignRest(restUrl, restRest);
  // @ts-expect-error jQuery.AjaxSettings allow null header values and any `type` string
  new ForeignApi(url, mwOptions);
  console.log(restAjax);
}

async function onWikiPage(): Promise<void> {
  await mw.loader.using(['mediawiki.ForeignApi']);
  // The classic script (dist/foreign-wasm.js) is typed through its global.
  const FW = globalThis.ForeignWasm;
  if (!FW) return;
  const restore: Uninstall = FW.install(mw);
  const api = new FW.ForeignApi(url);
  sharedCalls(api, new FW.ForeignRest(restUrl, api), { action: 'query', meta: 'userinfo' });
  // MediaWiki's older ForeignRest form with MediaWiki's own mw.ForeignApi: accepted, only the options count.
  new ForeignRest(restUrl, new mw.ForeignApi(url), { anonymous: true });
  restore();
  assertType<Equal<ReturnType<typeof FW.install>, () => void>>();

  // @ts-expect-error no class is an mw.ForeignApi: mw.Api's private `defaults`, and the missing members above
  const asMw: mw.ForeignApi = new ForeignApi(url);
  // @ts-expect-error our promises are native ones without jQuery's state()/progress()/pipe()
  const asJquery: mw.Api.AbortablePromise = api.get({});
  // @ts-expect-error constructors differ in the same ways (instances, and the OOjs statics)
  const asClass: typeof mw.ForeignApi = ForeignApi;
  // @ts-expect-error neither is an mw.ForeignRest (mw.Rest's private `defaults`, no ajax())
  const asRest: mw.ForeignRest = new ForeignRest(restUrl);
  // @ts-expect-error the URL is a string or a URL; mw.Uri is not accepted (a UsageError at runtime)
  new ForeignApi(new mw.Uri(url));
  console.log(asMw, asJquery, asClass, asRest);
}

onWikiPage();
options({}, {});
