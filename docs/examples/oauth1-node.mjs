// OAuth 1.0a from Node: WIKI=https://…/w/index.php CONSUMER_KEY=… CONSUMER_SECRET=… [ACCESS_TOKEN=… ACCESS_SECRET=…]
import { OAuth1 } from 'foreign-wasm/oauth1';

const env = process.env;
const oauth = new OAuth1({ consumerKey: env.CONSUMER_KEY, consumerSecret: env.CONSUMER_SECRET, wiki: env.WIKI });
let access = { token: env.ACCESS_TOKEN, secret: env.ACCESS_SECRET }; // an owner-only consumer's four strings
if (!access.token) {
  const { authorizeUrl, requestToken } = await oauth.initiate(); // callback 'oob': the wiki shows a verifier
  console.log(`Allow access at ${authorizeUrl}, then paste the verifier:`);
  const verifier = String(await new Promise((resolve) => process.stdin.once('data', resolve))).trim();
  access = await oauth.complete(requestToken, verifier); // {token, secret}: store it, it does not expire
}
const me = await oauth.identify(access); // the identify JWT, verified
const api = oauth.foreignApi(env.WIKI.replace(/index\.php$/, 'api.php'), access); // every request signed
const edit = await api.postWithToken('csrf', { action: 'edit', title: `User:${me.username}/OAuth`, appendtext: '\n* hello' });
console.log(me.username, edit.edit.result);
