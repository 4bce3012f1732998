// A small typed consumer of the package: `tsc --noEmit` must accept every line, and every @ts-expect-error line
// must really be an error (tsc fails on an unused @ts-expect-error), so the types can neither reject real usage
// nor silently degrade to `any`.
import {
  ForeignApi,
  ForeignRest,
  ApiError,
  ForeignApiError,
  onTrace,
  install,
  ready,
  type ApiResponse,
  type RequestTrace,
  type TraceEntry,
  type Uninstall,
} from 'foreign-wasm';

async function main(): Promise<void> {
  await ready();
  const api = new ForeignApi('https://commons.wikimedia.org/w/api.php', {
    anonymous: false,
    centralAuth: 'https://en.wikipedia.org/w/api.php',
    ajax: { timeout: 10000, headers: { 'X-Tool': 'demo' } },
    userAgent: 'Demo/1.0',
    onWarnings: (warnings) => warnings.forEach((w) => console.log(w.module, w.code, w.text)),
  });
  const result: ApiResponse = await api.get({ action: 'query', meta: 'userinfo', uiprop: ['groups', 'rights'] });
  console.log(result.query);

  const token: string = await api.getToken('csrf');
  console.log(token.length);
  api.postWithToken('csrf', { action: 'edit', title: 'Sandbox', text: 'x' })
    .done((r) => console.log(r.edit))
    .fail((code, res) => console.log(code, res))
    .always(() => console.log('done'))
    .abort();

  try {
    await api.postWithEditToken({ action: 'options', change: 'x=y' }, { signal: AbortSignal.timeout(5000) });
  } catch (e) {
    if (e instanceof ApiError) {
      const code: string = e.code;
      const status: number = e.status;
      console.log(code, status, e.info, e.result);
    } else if (e instanceof ForeignApiError) {
      console.log(e.category);
    }
  }

  const rest = new ForeignRest('https://commons.wikimedia.org/w/rest.php', api);
  const page = await rest.get('/v1/page/{title}', undefined, undefined, { pathParams: { title: 'Main Page' } });
  console.log(page);
  await new ForeignRest('https://commons.wikimedia.org/w/rest.php', { bearerToken: 'x' }).put('/v1/page/X', { source: 'y' });

  const stop = onTrace((entry: TraceEntry) => {
    if (entry.phase !== 'notice') {
      const r: RequestTrace = entry;
      console.log(r.purpose, r.displayUrl, r.endMs ?? r.startMs);
    }
  });
  stop();
  const restore: Uninstall = install({});
  restore();
  const anonymous: boolean | undefined = rest.options.anonymous;
  console.log(anonymous, rest.url, api.apiUrl);

  // @ts-expect-error the URL is required
  new ForeignApi();
  // @ts-expect-error getToken resolves to a string
  const wrong: number = await api.getToken('csrf');
  // @ts-expect-error unknown assert value
  new ForeignApi('https://x.example/w/api.php', { assert: 'admin' });
  // @ts-expect-error ajax.timeout is a number of milliseconds
  new ForeignApi('https://x.example/w/api.php', { ajax: { timeout: '10s' } });
  // @ts-expect-error the trace phase is a closed set
  onTrace((entry) => entry.phase === 'started');
  // @ts-expect-error internals are declared private
  api.call({}, {}, 'csrf');
  // @ts-expect-error the older ForeignRest form takes an API object, not a string
  new ForeignRest('https://commons.wikimedia.org/w/rest.php', 'https://commons.wikimedia.org/w/api.php', {});
  console.log(wrong);
}

main();
