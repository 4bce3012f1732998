// parse, getMessages/loadMessages/loadMessagesIfMissing, the category helpers, getErrorMessage (mw.Api 1.39
// resources/src/mediawiki.api/parse.js, messages.js, category.js, index.js). Off a wiki page there is no mw.Title and
// no mw.messages: titles are strings, and loaded messages are kept on the instance (api.messages).

import { answerPart, helperCall } from './run.js';

const MESSAGES_PER_REQUEST = 50; // ApiBase::LIMIT_SML1, the most values of ammessages a normal user may send

/** parse(wikitext | {page: title} | an mw.Title, params): the HTML. */
export function parse(api, content, additionalParams) {
  return helperCall(async (step) => {
    const config = { formatversion: 2, action: 'parse', contentmodel: 'wikitext', ...additionalParams };
    let data;
    if (content && typeof content.getPrefixedDb === 'function') data = await step(api.get({ ...config, page: content.getPrefixedDb() }));
    else if (content && typeof content === 'object' && typeof content.page === 'string') data = await step(api.get({ ...config, page: content.page }));
    else data = await step(api.post({ ...config, text: String(content) }));
    return answerPart(data, 'parse.text', (d) => (typeof d.parse.text === 'string' ? d.parse.text : undefined));
  });
}

/** {name: text} of the messages that exist, in batches of 50; the language is options.amlang or the instance's `language`. */
export function getMessages(api, messages, options = {}) {
  return helperCall(async (step) => {
    const names = Array.isArray(messages) ? messages : [messages];
    const language = options.amlang ?? api.options.language;
    const result = {};
    // No names, no request: without ammessages MediaWiki would send every message it has.
    for (let at = 0; at < names.length; at += MESSAGES_PER_REQUEST) {
      const data = await step(
        api.get({
          action: 'query',
          meta: 'allmessages',
          ammessages: names.slice(at, at + MESSAGES_PER_REQUEST),
          ...(language ? { amlang: language } : {}),
          formatversion: 2,
          ...options,
        }),
      );
      const list = answerPart(data, 'query.allmessages list', (d) => (Array.isArray(d.query.allmessages) ? d.query.allmessages : undefined));
      for (const message of list) {
        if (!message || typeof message !== 'object' || typeof message.name !== 'string') continue; // not a message
        if (!message.missing) result[message.name] = message.content;
      }
    }
    return result;
  });
}

export function loadMessages(api, messages, options) {
  return getMessages(api, messages, options).then((loaded) => {
    Object.assign(api.messages, loaded);
    return loaded;
  });
}

export function loadMessagesIfMissing(api, messages, options) {
  const missing = messages.filter((name) => !Object.prototype.hasOwnProperty.call(api.messages, name));
  if (missing.length === 0) return helperCall(async () => ({}));
  return loadMessages(api, missing, options);
}

export function isCategory(api, title) {
  return helperCall(async (step) => {
    const data = await step(api.get({ formatversion: 2, action: 'query', prop: 'categoryinfo', titles: [String(title)] }));
    return Boolean(data.query?.pages?.[0]?.categoryinfo);
  });
}

// "Category:Foo" → "Foo" (mw.Title's getMainText, without mw.Title).
function mainText(title) {
  const at = title.indexOf(':');
  return at === -1 ? title : title.slice(at + 1);
}

export function getCategoriesByPrefix(api, prefix) {
  return helperCall(async (step) => {
    const data = await step(api.get({ formatversion: 2, action: 'query', list: 'allpages', apprefix: prefix, apnamespace: 14 }));
    const pages = answerPart(data, 'query.allpages list', (d) => (Array.isArray(d.query.allpages) ? d.query.allpages : undefined));
    return pages.filter((category) => typeof category?.title === 'string').map((category) => mainText(category.title));
  });
}

/** The categories of `title` as title strings ("Category:Foo"), or false when there are none or no page. */
export function getCategories(api, title) {
  return helperCall(async (step) => {
    const data = await step(api.get({ formatversion: 2, action: 'query', prop: 'categories', titles: [String(title)] }));
    const page = data.query?.pages?.[0];
    if (!page || !page.categories) return false;
    const categories = answerPart(data, 'categories list', () => (Array.isArray(page.categories) ? page.categories : undefined));
    return categories.filter((category) => typeof category?.title === 'string').map((category) => category.title);
  });
}

/** Plain text for a failure (an Error of this library or an API answer); mw.Api gives a jQuery element. */
export function getErrorMessage(data) {
  if (data instanceof Error) return data.info || data.message;
  const error = data?.error || data?.errors?.[0];
  if (!error) return 'Unknown error';
  return error.info || error.text || error['*'] || error.html || error.code || 'Unknown error';
}
