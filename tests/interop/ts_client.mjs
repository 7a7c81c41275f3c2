#!/usr/bin/env node
// Drive the quickstart server with the official TypeScript MCP SDK (@modelcontextprotocol/sdk).
//
// Usage:
//   node ts_client.mjs stdio                        # spawns $QUICKSTART (or --quickstart PATH)
//   node ts_client.mjs http://127.0.0.1:PORT/mcp    # Streamable HTTP
//   node ts_client.mjs http://127.0.0.1:PORT/sse    # the legacy HTTP+SSE transport (SSEClientTransport)
//   node ts_client.mjs URL --auth READER_KEY EDITOR_KEY   # only the API-key checks
// Options: --stateless (the server runs --stateless: this 2025-11-25 client has no session there, so
// the server must promise no notifications and refuse resources/subscribe with -32600),
// --tag NAME (prefix of the notes written).
//
// The SDK is loaded from $INTEROP_NODE_MODULES (default: <repo>/target/interop/node/node_modules),
// where run.sh installs it from package-lock.json; ESM ignores NODE_PATH, hence the dynamic imports.
//
// Every check prints `PASS <name>`, `FAIL <name>: <detail>`, `SKIP <name>: <reason>` or
// `XFAIL <name>: <detail>` (a known server issue, reported but not counted as a failure unless
// INTEROP_STRICT=1); the exit status is 1 when any check failed.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const nodeModules = process.env.INTEROP_NODE_MODULES ?? join(repo, 'target', 'interop', 'node', 'node_modules');
const sdkDir = join(nodeModules, '@modelcontextprotocol', 'sdk');
// The package's export map sends `@modelcontextprotocol/sdk/<path>` to `dist/esm/<path>` for `import`.
const sdk = (path) => import(pathToFileURL(join(sdkDir, 'dist', 'esm', path)).href);

const { Client } = await sdk('client/index.js');
const { StdioClientTransport } = await sdk('client/stdio.js');
const { StreamableHTTPClientTransport } = await sdk('client/streamableHttp.js');
const { SSEClientTransport } = await sdk('client/sse.js');
const { McpError, ResourceUpdatedNotificationSchema } = await sdk('types.js');
const sdkVersion = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')).version;

const ALL_TOOLS = ['add', 'add_note', 'clear_notes', 'count_slowly', 'divide', 'list_notes', 'text_stats'];
const INVALID_REQUEST = -32600;
const INVALID_PARAMS = -32602;
const RESOURCE_NOT_FOUND = -32002;
// JSON Schema `format`s that schemars emits for Rust numbers; not in the JSON Schema vocabulary, so
// Ajv (which the SDK validates structuredContent with) warns `unknown format "uint" ignored ...`.
// The server states the ranges with minimum/maximum instead.
const NONSTANDARD_FORMATS = new Set(['int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'float', 'double']);
const NO_STREAM = 'has no stream to send resource updates on';
const strict = process.env.INTEROP_STRICT === '1';

// Ajv reports formats it does not know through console.warn; keep those, to assert there are none.
const ajvFormatWarnings = [];
const consoleWarn = console.warn.bind(console);
console.warn = (...args) => {
  const text = args.map(String).join(' ');
  if (/unknown format/.test(text)) ajvFormatWarnings.push(text);
  consoleWarn(...args);
};

// ---- arguments
const argv = process.argv.slice(2);
const opts = { quickstart: process.env.QUICKSTART ?? join(repo, 'target/debug/examples/quickstart'), tag: 'typescript' };
let target;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--quickstart') opts.quickstart = argv[++i];
  else if (a === '--tag') opts.tag = argv[++i];
  else if (a === '--stateless') opts.stateless = true;
  else if (a === '--auth') opts.auth = [argv[++i], argv[++i]];
  else if (a === '-h' || a === '--help') {
    console.log('usage: ts_client.mjs stdio|URL [--stateless] [--auth READER EDITOR] [--tag NAME] [--quickstart PATH]');
    process.exit(0);
  } else if (!target) target = a;
  else throw new Error(`unexpected argument ${a}`);
}
if (!target) throw new Error('usage: ts_client.mjs stdio|URL [options]');

// ---- reporting
const results = [];
function record(status, name, detail) {
  results.push(status);
  console.log(`${status} ${name}${detail ? `: ${detail}` : ''}`);
}
const show = (v) => {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 300 ? `${s.slice(0, 300)}…` : s;
};
const info = (msg) => console.log(`  info: ${msg}`);

/** Run one check: `fn(c)` may call c.expect / c.fail / c.skip / c.xfail; a throw fails it. */
async function check(name, fn) {
  const c = {
    failed: undefined,
    skipped: undefined,
    known: undefined,
    fail(detail) { if (this.failed === undefined) this.failed = detail; },
    expect(cond, detail) { if (!cond) this.fail(typeof detail === 'function' ? detail() : detail); },
    skip(reason) { this.skipped = reason; },
    xfail(reason) { this.known = reason; },
  };
  try {
    await fn(c);
  } catch (e) {
    c.fail(e instanceof McpError ? `unexpected JSON-RPC error ${e.code}: ${e.message}` : `${e?.name}: ${e?.message ?? e}`);
    if (process.env.INTEROP_DEBUG) console.error(e);
  }
  if (c.failed !== undefined && c.known !== undefined && !strict) record('XFAIL', name, `${c.failed} (known server issue: ${c.known})`);
  else if (c.failed !== undefined) record('FAIL', name, c.failed);
  else if (c.skipped !== undefined) record('SKIP', name, c.skipped);
  else record('PASS', name, c.known !== undefined ? 'known issue no longer reproduces; remove the xfail' : undefined);
}

async function expectMcpError(c, promise, code, what) {
  let value;
  try {
    value = await promise;
  } catch (e) {
    if (!(e instanceof McpError)) {
      c.fail(`${what}: expected a JSON-RPC error, got ${e?.name}: ${e?.message}`);
      return undefined;
    }
    if (code !== undefined && e.code !== code) c.fail(`${what}: expected JSON-RPC error ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  c.fail(`${what}: expected a JSON-RPC error${code !== undefined ? ` ${code}` : ''}, got a result: ${show(value)}`);
  return undefined;
}

/** Every `format` in `schema` (recursively) whose value is one of NONSTANDARD_FORMATS, as path=value. */
function nonstandardFormats(schema, path = '#') {
  if (Array.isArray(schema)) return schema.flatMap((v, i) => nonstandardFormats(v, `${path}/${i}`));
  if (schema === null || typeof schema !== 'object') return [];
  return Object.entries(schema).flatMap(([k, v]) =>
    k === 'format' && typeof v === 'string' && NONSTANDARD_FORMATS.has(v) ? [`${path}/format=${v}`] : nonstandardFormats(v, `${path}/${k}`));
}

const textOf = (r) => (r.content ?? []).map((b) => b.text ?? '').join('');
const sorted = (xs) => [...xs].sort();
const sameSet = (a, b) => show(sorted(a)) === show(sorted(b));
const withTimeout = (promise, ms, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))]);

function httpTransport(url, key) {
  const requestInit = key ? { headers: { Authorization: `Bearer ${key}` } } : undefined;
  // A URL ending in /sse is the legacy transport's stream (protocol 2024-11-05's HTTP+SSE).
  if (new URL(url).pathname.endsWith('/sse')) return new SSEClientTransport(new URL(url), { requestInit });
  return new StreamableHTTPClientTransport(new URL(url), { requestInit });
}

function newClient() {
  const client = new Client({ name: 'interop-typescript', version: sdkVersion }, { capabilities: {} });
  client.onerror = (error) => sdkErrors.push(String(error));
  return client;
}

// What the SDK reported through `onerror` (it does not throw for notifications it drops).
const sdkErrors = [];

// ---- the functional suite
async function functionalSuite(client, transport) {
  const tag = opts.tag;
  const updates = [];
  const waiters = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    updates.push(n.params.uri);
    waiters.splice(0).forEach((w) => w());
  });

  await check('initialize', (c) => {
    const info = client.getServerVersion();
    c.expect(info?.name === 'quickstart', `serverInfo ${show(info)}`);
    const caps = client.getServerCapabilities() ?? {};
    for (const k of ['tools', 'resources', 'prompts', 'completions']) c.expect(caps[k] !== undefined, `no ${k} capability: ${show(caps)}`);
    c.expect(client.getInstructions()?.includes('notepad'), `instructions ${show(client.getInstructions())}`);
    // The Client keeps the negotiated version to itself; the HTTP transport is told it for its header.
    if (transport.protocolVersion !== undefined) {
      c.expect(transport.protocolVersion === '2025-11-25', `negotiated ${transport.protocolVersion}, expected 2025-11-25`);
    }
  });

  // This client speaks 2025-11-25: on a --stateless server it has no session, hence no stream that
  // could carry a notification, and the server promises none; otherwise it promises all four.
  const capsName = opts.stateless
    ? 'capabilities: no resources.subscribe nor listChanged (no session, nothing can notify)'
    : 'capabilities: resources.subscribe and listChanged advertised';
  await check(capsName, (c) => {
    const caps = client.getServerCapabilities() ?? {};
    const flag = (group, key) => (caps[group] && Object.hasOwn(caps[group], key) ? caps[group][key] : 'absent');
    const flags = {
      'resources.subscribe': flag('resources', 'subscribe'),
      'resources.listChanged': flag('resources', 'listChanged'),
      'tools.listChanged': flag('tools', 'listChanged'),
      'prompts.listChanged': flag('prompts', 'listChanged'),
    };
    const want = Object.fromEntries(Object.keys(flags).map((k) => [k, opts.stateless ? 'absent' : true]));
    c.expect(show(flags) === show(want), `capabilities ${show(flags)}, expected ${show(want)}`);
  });

  await check('tools/list', async (c) => {
    const { tools } = await client.listTools();
    c.expect(sameSet(tools.map((t) => t.name), ALL_TOOLS), `tools ${show(tools.map((t) => t.name))}`);
    const add = tools.find((t) => t.name === 'add');
    c.expect(show(sorted(add?.inputSchema?.required ?? [])) === show(['a', 'b']), `add inputSchema ${show(add?.inputSchema)}`);
    c.expect(add?.outputSchema?.properties?.result !== undefined, `add outputSchema ${show(add?.outputSchema)}`);
    c.expect(add?.annotations?.readOnlyHint === true, `add annotations ${show(add?.annotations)}`);
  });

  await check('tools/list: no non-standard `format` (uint, double, ...) in any schema', async (c) => {
    const { tools } = await client.listTools();
    for (const t of tools) {
      for (const which of ['inputSchema', 'outputSchema']) {
        const bad = nonstandardFormats(t[which]);
        c.expect(bad.length === 0, () => `${t.name} ${which}: ${show(bad)}`);
      }
    }
    const props = tools.find((t) => t.name === 'text_stats')?.outputSchema?.properties ?? {};
    for (const field of ['words', 'lines', 'characters']) {
      c.expect(props[field]?.minimum === 0 && props[field]?.type === 'integer',
        () => `text_stats outputSchema.${field} ${show(props[field])}, expected an integer with minimum 0`);
    }
  });

  await check('tool add 2+3 -> 5 (structuredContent)', async (c) => {
    const r = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    c.expect(!r.isError, `isError: ${textOf(r)}`);
    c.expect(show(r.structuredContent) === show({ result: 5 }), `structuredContent ${show(r.structuredContent)}`);
    c.expect(textOf(r) === '5', `text ${show(textOf(r))}`);
  });

  await check('tool divide 7/2 -> 3.5', async (c) => {
    const r = await client.callTool({ name: 'divide', arguments: { dividend: 7, divisor: 2 } });
    c.expect(!r.isError, `isError: ${textOf(r)}`);
    c.expect(r.structuredContent?.result === 3.5, `structuredContent ${show(r.structuredContent)}`);
  });

  await check('tool divide by zero -> isError', async (c) => {
    const r = await client.callTool({ name: 'divide', arguments: { dividend: 1, divisor: 0 } });
    c.expect(r.isError === true, `isError ${r.isError}, text ${show(textOf(r))}`);
    c.expect(textOf(r).includes('divisor') && textOf(r).includes('zero'), `message does not name divisor/zero: ${show(textOf(r))}`);
  });

  await check('tool text_stats structured result', async (c) => {
    const text = 'The cat and the hat\nthe end';
    const r = await client.callTool({ name: 'text_stats', arguments: { text } });
    const want = { words: 7, lines: 2, characters: [...text].length, most_common_word: 'the' };
    c.expect(!r.isError, `isError: ${textOf(r)}`);
    const sc = r.structuredContent ?? {};
    c.expect(Object.keys(want).every((k) => sc[k] === want[k]) && Object.keys(sc).length === 4,
      `structuredContent ${show(sc)}, expected ${show(want)}`);
    c.expect(show(JSON.parse(textOf(r))) === show(sc), `text copy ${show(textOf(r))}`);
  });

  await check('tool count_slowly with progress notifications', async (c) => {
    const progress = [];
    const r = await client.callTool({ name: 'count_slowly', arguments: { to: 3, interval_ms: 20 } }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    c.expect(!r.isError && textOf(r) === 'counted to 3', `result ${show(textOf(r))}`);
    // SDK 1.32 runs notification handlers in a microtask (Protocol._onnotification's
    // Promise.resolve().then) but handles a response at once, removing the call's progress
    // handler: when the last progress and the response arrive in one read (the server wrote the
    // progress first), the SDK drops that progress and reports it through onerror as "a
    // progress notification for an unknown token". Every progress must then be accounted for:
    // delivered in order, or reported dropped by the SDK after the response.
    await new Promise((resolve) => setImmediate(resolve));
    const dropped = sdkErrors
      .filter((error) => error.includes('progress notification for an unknown token'))
      .map((error) => Number(/"progress":(\d+)/.exec(error)?.[1]));
    const seen = [...progress.map((p) => p.progress), ...dropped];
    c.expect(show(seen) === '[1,2,3]', `progress ${show(progress)}, dropped by the SDK ${show(dropped)}`);
    if (dropped.length > 0) console.log(`  info: the SDK dropped progress ${show(dropped)} that arrived with the response`);
    c.expect(progress.every((p) => p.total === 3), `progress totals ${show(progress)}`);
    c.expect(dropped.length > 0 || progress.at(-1)?.message === 'counted 3 of 3', `progress messages ${show(progress)}`);
  });

  await check('tool clear_notes', async (c) => {
    const r = await client.callTool({ name: 'clear_notes', arguments: {} });
    c.expect(!r.isError && textOf(r).startsWith('removed '), `result ${show(textOf(r))}`);
  });

  await check('tool list_notes (empty)', async (c) => {
    const r = await client.callTool({ name: 'list_notes', arguments: {} });
    c.expect(!r.isError && show(r.structuredContent) === show({ result: [] }), `structuredContent ${show(r.structuredContent)}`);
  });

  await check('tool add_note', async (c) => {
    const r = await client.callTool({ name: 'add_note', arguments: { text: `${tag} note one` } });
    c.expect(!r.isError && textOf(r) === '1 note(s)', `result ${show(textOf(r))} isError ${r.isError}`);
  });

  await check('tool list_notes (one note)', async (c) => {
    const r = await client.callTool({ name: 'list_notes', arguments: {} });
    const notes = r.structuredContent?.result;
    c.expect(Array.isArray(notes) && notes.length === 1 && notes[0].startsWith(`${tag} note one (by `),
      `structuredContent ${show(r.structuredContent)}`);
  });

  // ---- error classes
  await check('unknown tool -> JSON-RPC error -32602', async (c) => {
    const e = await expectMcpError(c, client.callTool({ name: 'no_such_tool', arguments: {} }), INVALID_PARAMS, 'tools/call no_such_tool');
    if (e) c.expect(e.message.includes('no_such_tool'), `message does not name the tool: ${show(e.message)}`);
  });

  await check('wrong argument type -> isError naming the argument', async (c) => {
    const r = await client.callTool({ name: 'add', arguments: { a: 2, b: 'two' } });
    c.expect(r.isError === true, `isError ${r.isError}, text ${show(textOf(r))}`);
    c.expect(textOf(r).includes('`b`'), `message does not name \`b\`: ${show(textOf(r))}`);
  });

  await check('missing required argument -> isError', async (c) => {
    const r = await client.callTool({ name: 'add', arguments: { a: 2 } });
    c.expect(r.isError === true, `isError ${r.isError}, text ${show(textOf(r))}`);
    c.expect(textOf(r).includes('b'), `message does not name b: ${show(textOf(r))}`);
  });

  // ---- resources
  await check('resources/list', async (c) => {
    const uris = (await client.listResources()).resources.map((r) => r.uri);
    for (const u of ['config://quickstart', 'images://pixel.png', 'notes://latest']) c.expect(uris.includes(u), `resources ${show(uris)} lack ${u}`);
  });

  await check('resources/templates/list', async (c) => {
    const { resourceTemplates } = await client.listResourceTemplates();
    c.expect(show(resourceTemplates.map((t) => t.uriTemplate)) === show(['notes://{number}']), `templates ${show(resourceTemplates)}`);
  });

  await check('read config://quickstart (JSON)', async (c) => {
    const { contents } = await client.readResource({ uri: 'config://quickstart' });
    c.expect(contents.length === 1, `${contents.length} contents`);
    c.expect(contents[0].mimeType === 'application/json', `mimeType ${contents[0].mimeType}`);
    const data = JSON.parse(contents[0].text);
    c.expect(data.server === 'quickstart' && data.notepad?.max_note_length === 500, `JSON ${show(data)}`);
  });

  await check('read images://pixel.png (blob)', async (c) => {
    const [body] = (await client.readResource({ uri: 'images://pixel.png' })).contents;
    c.expect(body.mimeType === 'image/png', `mimeType ${body.mimeType}`);
    const blob = Buffer.from(body.blob ?? '', 'base64');
    c.expect(blob.length === 67 && blob.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
      `blob of ${blob.length} bytes`);
  });

  await check('read notes://latest', async (c) => {
    const [body] = (await client.readResource({ uri: 'notes://latest' })).contents;
    c.expect(body.text?.startsWith(`${tag} note one (by `), `text ${show(body.text)}`);
  });

  await check('read notes://1 (template)', async (c) => {
    const [body] = (await client.readResource({ uri: 'notes://1' })).contents;
    c.expect(body.uri === 'notes://1', `uri ${body.uri}`);
    c.expect(body.text?.startsWith(`${tag} note one (by `), `text ${show(body.text)}`);
  });

  await check('read notes://999 (template, handler says not found) -> -32002', async (c) => {
    const e = await expectMcpError(c, client.readResource({ uri: 'notes://999' }), RESOURCE_NOT_FOUND, 'notes://999');
    if (e) {
      // McpError prefixes the server's message with `MCP error <code>: `.
      const want = 'no resource at `notes://999`: there is no note 999; the notepad holds 1 note(s)';
      const message = e.message.replace(/^MCP error -?\d+: /, '');
      c.expect(message.startsWith(want), `message ${show(e.message)}, expected it to start with ${show(want)}`);
    }
  });

  await check('read unknown URI -> -32002', async (c) => {
    const e = await expectMcpError(c, client.readResource({ uri: 'nothing://here' }), RESOURCE_NOT_FOUND, 'nothing://here');
    if (e) c.expect(e.message.includes('nothing://here'), `message does not name the URI: ${show(e.message)}`);
  });

  if (opts.stateless) {
    // No session, so no stream could carry notifications/resources/updated: refused up front.
    await check('resources/subscribe refused without a session -> -32600', async (c) => {
      const e = await expectMcpError(c, client.subscribeResource({ uri: 'notes://latest' }), INVALID_REQUEST, 'resources/subscribe');
      if (e) c.expect(e.message.includes(NO_STREAM), `message ${show(e.message)} lacks ${show(NO_STREAM)}`);
    });
  } else await check('subscribe notes://latest + add_note -> notifications/resources/updated', async (c) => {
    updates.length = 0;
    await client.subscribeResource({ uri: 'notes://latest' });
    const r = await client.callTool({ name: 'add_note', arguments: { text: `${tag} note two` } });
    c.expect(!r.isError, `add_note: ${textOf(r)}`);
    const deadline = Date.now() + 5000;
    while (!updates.includes('notes://latest') && Date.now() < deadline) {
      await new Promise((res) => { waiters.push(res); setTimeout(res, 100); });
    }
    c.expect(updates.includes('notes://latest'), `no notifications/resources/updated for notes://latest (got ${show(updates)})`);
    await client.unsubscribeResource({ uri: 'notes://latest' });
  });

  // ---- prompts
  await check('prompts/list', async (c) => {
    const { prompts } = await client.listPrompts();
    c.expect(sameSet(prompts.map((p) => p.name), ['summarize', 'code_review']), `prompts ${show(prompts.map((p) => p.name))}`);
    const argsOf = (n) => show(Object.fromEntries((prompts.find((p) => p.name === n)?.arguments ?? []).map((a) => [a.name, !!a.required])));
    c.expect(argsOf('summarize') === show({ text: true, sentences: false }), `summarize arguments ${argsOf('summarize')}`);
    c.expect(argsOf('code_review') === show({ language: true, diff: true }), `code_review arguments ${argsOf('code_review')}`);
  });

  await check('prompts/get summarize', async (c) => {
    const r = await client.getPrompt({ name: 'summarize', arguments: { text: 'MCP is a protocol.', sentences: '2' } });
    c.expect(r.messages.length === 1 && r.messages[0].role === 'user', `messages ${show(r.messages)}`);
    const t = r.messages[0]?.content?.text ?? '';
    c.expect(t.includes('in 2 sentences') && t.includes('MCP is a protocol.'), `text ${show(t)}`);
  });

  await check('prompts/get code_review (assistant then user)', async (c) => {
    const r = await client.getPrompt({ name: 'code_review', arguments: { language: 'rust', diff: '- a\n+ b' } });
    c.expect(show(r.messages.map((m) => m.role)) === show(['assistant', 'user']), `roles ${show(r.messages.map((m) => m.role))}`);
    c.expect(r.messages[0]?.content?.text?.includes('senior rust engineer'), `assistant text ${show(r.messages[0]?.content)}`);
    c.expect(r.messages[1]?.content?.text?.includes('- a\n+ b'), `user text ${show(r.messages[1]?.content)}`);
  });

  await check('prompts/get missing argument -> -32602', async (c) => {
    const e = await expectMcpError(c, client.getPrompt({ name: 'code_review', arguments: { language: 'rust' } }), INVALID_PARAMS, 'code_review without diff');
    if (e) c.expect(e.message.includes('diff'), `message does not name diff: ${show(e.message)}`);
  });

  await check("completion/complete code_review.language 'r'", async (c) => {
    const r = await client.complete({ ref: { type: 'ref/prompt', name: 'code_review' }, argument: { name: 'language', value: 'r' } });
    c.expect(show(r.completion.values) === show(['ruby', 'rust']), `values ${show(r.completion.values)}`);
  });

  await check('tool clear_notes (cleanup)', async (c) => {
    const r = await client.callTool({ name: 'clear_notes', arguments: {} });
    c.expect(!r.isError && textOf(r).startsWith('removed '), `result ${show(textOf(r))}`);
  });
}

// ---- the API-key suite (HTTP only)
async function rawCall(url, key, method, params) {
  // One JSON-RPC request over a fresh 2025-11-25 session with plain fetch, to see the HTTP status.
  const base = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Authorization: `Bearer ${key}` };
  const post = (body, extra = {}) => fetch(url, { method: 'POST', headers: { ...base, ...extra }, body: JSON.stringify(body) });
  const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '0' } } });
  await init.text();
  const session = { 'MCP-Protocol-Version': '2025-11-25' };
  if (init.headers.get('mcp-session-id')) session['Mcp-Session-Id'] = init.headers.get('mcp-session-id');
  await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session)).text();
  const resp = await post({ jsonrpc: '2.0', id: 2, method, params }, session);
  const body = await resp.text();
  if (session['Mcp-Session-Id']) await fetch(url, { method: 'DELETE', headers: { ...base, ...session } });
  return { status: resp.status, challenge: resp.headers.get('www-authenticate') ?? '', body };
}

async function connectOrError(url, key) {
  const client = newClient();
  try {
    await withTimeout(client.connect(httpTransport(url, key)), 20000, 'connect');
  } catch (e) {
    await client.close().catch(() => {});
    return e;
  }
  await client.close();
  return undefined;
}

async function authSuite(url, reader, editor) {
  const tag = opts.tag;
  await check('auth: no key -> HTTP 401 with WWW-Authenticate', async (c) => {
    const resp = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '0' } } }),
    });
    await resp.text();
    c.expect(resp.status === 401, `status ${resp.status}`);
    // API keys and no authorization server: a plain `Bearer`, nothing to discover.
    c.expect(resp.headers.get('www-authenticate') === 'Bearer', `WWW-Authenticate ${show(resp.headers.get('www-authenticate'))}`);
  });

  await check('auth: no key -> SDK client cannot connect', async (c) => {
    const e = await connectOrError(url, undefined);
    c.expect(e !== undefined, 'connected without a key');
    if (e) info(`connecting without a key -> ${e.name}: ${e.message}${e.code !== undefined ? ` (code ${e.code})` : ''}`);
  });

  await check('auth: wrong key -> SDK client cannot connect', async (c) => {
    c.expect((await connectOrError(url, 'not-a-key')) !== undefined, 'connected with a wrong key');
  });

  const ed = newClient();
  const rd = newClient();
  await ed.connect(httpTransport(url, editor));
  await rd.connect(httpTransport(url, reader));
  try {
    await check('auth: editor tools/list has 6 tools (add_note, no clear_notes)', async (c) => {
      const names = (await ed.listTools()).tools.map((t) => t.name);
      c.expect(sameSet(names, ALL_TOOLS.filter((n) => n !== 'clear_notes')), `tools ${show(names)}`);
    });

    await check('auth: reader tools/list has 5 tools (list_notes, no add_note/clear_notes)', async (c) => {
      const names = (await rd.listTools()).tools.map((t) => t.name);
      c.expect(sameSet(names, ALL_TOOLS.filter((n) => n !== 'clear_notes' && n !== 'add_note')), `tools ${show(names)}`);
    });

    await check("auth: editor add_note succeeds, subject is the key's name", async (c) => {
      const r = await ed.callTool({ name: 'add_note', arguments: { text: `${tag} keyed note` } });
      c.expect(!r.isError, `isError: ${textOf(r)}`);
      const notes = (await ed.callTool({ name: 'list_notes', arguments: {} })).structuredContent?.result ?? [];
      c.expect(notes.includes(`${tag} keyed note (by editor)`), `notes ${show(notes)}`);
    });

    await check('auth: reader list_notes and notes://latest', async (c) => {
      const r = await rd.callTool({ name: 'list_notes', arguments: {} });
      c.expect(!r.isError && (r.structuredContent?.result ?? []).includes(`${tag} keyed note (by editor)`), `list_notes ${show(r)}`);
      const [body] = (await rd.readResource({ uri: 'notes://latest' })).contents;
      c.expect(body.text === `${tag} keyed note (by editor)`, `notes://latest ${show(body)}`);
    });

    const refused = async (c, client, name, args) => {
      try {
        const r = await client.callTool({ name, arguments: args });
        c.fail(`not refused: isError ${r.isError}, text ${show(textOf(r))}`);
        return undefined;
      } catch (e) {
        return e;
      }
    };

    await check('auth: reader add_note refused (SDK)', async (c) => {
      const e = await refused(c, rd, 'add_note', { text: 'should be refused' });
      if (e) {
        // The SDK surfaces a non-2xx answer to a POST as StreamableHTTPError carrying the HTTP status.
        c.expect(e.code === 403, `expected an error with HTTP status 403, got ${e.name} code ${e.code}: ${e.message}`);
        info(`reader add_note through the SDK -> ${e.name} (code ${e.code}): ${e.message}`);
      }
    });

    await check('auth: reader clear_notes refused (SDK)', async (c) => {
      const e = await refused(c, rd, 'clear_notes', {});
      if (e) c.expect(e.code === 403, `expected HTTP 403, got ${e.name} code ${e.code}: ${e.message}`);
    });

    await check('auth: editor clear_notes refused (needs notes:admin)', async (c) => {
      const e = await refused(c, ed, 'clear_notes', {});
      if (e) c.expect(e.code === 403, `expected HTTP 403, got ${e.name} code ${e.code}: ${e.message}`);
    });
  } finally {
    await ed.close();
    await rd.close();
  }

  await check('auth: reader add_note -> HTTP 403 insufficient_scope (raw)', async (c) => {
    const r = await rawCall(url, reader, 'tools/call', { name: 'add_note', arguments: { text: 'x' } });
    c.expect(r.status === 403, `status ${r.status}, body ${show(r.body)}`);
    c.expect(r.challenge.includes('error="insufficient_scope"') && r.challenge.includes('scope="notes:write"'), `WWW-Authenticate ${show(r.challenge)}`);
  });
}

// ---- main
console.log(`# typescript @modelcontextprotocol/sdk ${sdkVersion} -> ${target}${opts.stateless ? ' (stateless)' : ''}`);
if (opts.auth) {
  if (target === 'stdio') throw new Error('--auth needs an HTTP URL');
  try {
    await withTimeout(authSuite(target, ...opts.auth), 120000, 'the API-key suite');
  } catch (e) {
    record('FAIL', 'auth: connection', `${e?.name}: ${e?.message ?? e}`);
  }
} else {
  const client = newClient();
  const transport = target === 'stdio'
    ? new StdioClientTransport({ command: opts.quickstart, args: ['--transport', 'stdio'], stderr: 'inherit' })
    : httpTransport(target);
  try {
    await withTimeout(client.connect(transport), 30000, 'initialize');
    await withTimeout(functionalSuite(client, transport), 120000, 'the functional suite');
  } catch (e) {
    record('FAIL', 'connection', `${e?.name}: ${e?.message ?? e}`);
  } finally {
    await client.close().catch(() => {});
  }
}

// The SDK compiles every tool's outputSchema with Ajv on tools/list; a non-standard `format` shows up
// as `unknown format "uint" ignored in schema at path ...` on the console.
await check('no Ajv "unknown format" warnings', (c) => {
  c.expect(ajvFormatWarnings.length === 0, () => `${ajvFormatWarnings.length} warning(s): ${show(ajvFormatWarnings)}`);
});

const count = (s) => results.filter((r) => r === s).length;
const failed = count('FAIL');
console.log(`typescript: ${count('PASS')} passed, ${failed} failed, ${count('SKIP')} skipped, ${count('XFAIL')} xfailed`);
process.exit(failed > 0 || count('PASS') === 0 ? 1 : 0);
