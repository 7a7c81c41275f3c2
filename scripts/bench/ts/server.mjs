// Benchmark comparator: the two tools of examples/bench_ours.rs in the official TypeScript SDK's
// McpServer (versions pinned by package-lock.json; see BENCHMARKS.md and scripts/bench/).
//
//   (cd scripts/bench/ts && npm ci)
//   node scripts/bench/ts/server.mjs                                    # stdio
//   node scripts/bench/ts/server.mjs --transport http --port 8000 [--stateless]
//
// HTTP is served as the SDK's own examples serve it (createMcpExpressApp, which validates the
// Host header for loopback): in session mode one transport per session kept in a map, answering
// POSTs with SSE; statelessly a new server and transport per request, answering with plain JSON.
// Like ours, nothing is logged per request.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod/v4';

const { values: args } = parseArgs({
  options: {
    transport: { type: 'string', default: 'stdio' },
    port: { type: 'string', default: '8000' },
    stateless: { type: 'boolean', default: false },
  },
});

const annotations = { readOnlyHint: true, idempotentHint: true };

function newServer() {
  const server = new McpServer({ name: 'bench-ts-sdk', version: '0.1.0' });
  server.registerTool(
    'add',
    {
      description: 'Add two integers.',
      inputSchema: { a: z.number().int().describe('The first addend.'), b: z.number().int().describe('The second addend.') },
      outputSchema: { result: z.number().int() },
      annotations,
    },
    async ({ a, b }) => {
      const result = a + b;
      return { content: [{ type: 'text', text: String(result) }], structuredContent: { result } };
    },
  );
  server.registerTool(
    'echo',
    { description: 'Echo a text back.', inputSchema: { text: z.string().describe('The text to echo.') }, annotations },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}

function jsonRpcError(res, status, code, message) {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

function statelessApp() {
  const app = createMcpExpressApp();
  app.post('/mcp', async (req, res) => {
    const server = newServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      transport.close();
      server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (error) {
      console.error('error handling an MCP request:', error);
      if (!res.headersSent) jsonRpcError(res, 500, -32603, 'Internal server error');
    }
  });
  return app;
}

function sessionApp() {
  const app = createMcpExpressApp();
  const transports = new Map();
  const existing = (req, res) => {
    const transport = transports.get(req.headers['mcp-session-id']);
    if (!transport) jsonRpcError(res, 404, -32001, 'Session not found');
    return transport;
  };
  app.post('/mcp', async (req, res) => {
    try {
      const sessionId = req.headers['mcp-session-id'];
      if (sessionId) {
        const transport = existing(req, res);
        if (transport) await transport.handleRequest(req, res, req.body);
        return;
      }
      if (!isInitializeRequest(req.body)) return jsonRpcError(res, 400, -32000, 'Bad Request: No valid session ID provided');
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transports.delete(transport.sessionId);
      await newServer().connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (error) {
      console.error('error handling an MCP request:', error);
      if (!res.headersSent) jsonRpcError(res, 500, -32603, 'Internal server error');
    }
  });
  const other = async (req, res) => {
    const transport = existing(req, res);
    if (transport) await transport.handleRequest(req, res);
  };
  app.get('/mcp', other);
  app.delete('/mcp', other);
  return app;
}

if (args.transport === 'stdio') {
  await newServer().connect(new StdioServerTransport());
} else if (args.transport === 'http') {
  const app = args.stateless ? statelessApp() : sessionApp();
  const listener = app.listen(Number(args.port), '127.0.0.1', () => {
    console.error(`bench-ts-sdk: MCP over Streamable HTTP at http://127.0.0.1:${listener.address().port}/mcp`);
  });
  // As ours does; Node's default is already noDelay since v18, said here so nobody wonders.
  listener.on('connection', (socket) => socket.setNoDelay(true));
} else {
  console.error(`unknown transport ${args.transport}`);
  process.exit(2);
}
