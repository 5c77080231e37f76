// Drives the reference TypeScript SDK's MCP client against <endpoint>: initialize, list the tools and resources,
// call each tool once (arguments from <calls.json>), read one resource, and try the failures the calls file lists.
// Prints one JSON object on stdout; a failure to connect exits 1 with the reason on stderr.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [endpoint, callsFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(callsFile, "utf8"));
const client = new Client({ name: "node-reference-client", version: "1.0.0" });
const transport = new StreamableHTTPClientTransport(new URL(endpoint));
const out = { calls: {}, failures: {} };

try {
  await client.connect(transport);
  out.server = client.getServerVersion();
  out.protocolVersion = transport.protocolVersion ?? null;
  out.tools = (await client.listTools()).tools.map(t => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
  for (const [name, args] of Object.entries(plan.calls)) {
    const result = await client.callTool({ name, arguments: args });
    out.calls[name] = { isError: result.isError ?? false, text: result.content?.[0]?.text ?? null, structured: result.structuredContent ?? null };
  }
  const resources = (await client.listResources()).resources;
  out.resources = resources.map(r => ({ uri: r.uri, mimeType: r.mimeType, title: r.title }));
  if (resources.length > 0) {
    const read = await client.readResource({ uri: resources[0].uri });
    out.read = { uri: read.contents[0].uri, mimeType: read.contents[0].mimeType, text: read.contents[0].text };
  }
  for (const [label, call] of Object.entries(plan.failures ?? {})) {
    try {
      const result = await client.callTool(call);
      out.failures[label] = { isError: result.isError ?? false, text: result.content?.[0]?.text ?? null };
    } catch (error) {
      out.failures[label] = { code: error.code ?? null, message: error.message };
    }
  }
} catch (error) {
  process.stderr.write(`MCP client failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  await client.close().catch(() => {});
}

process.stdout.write(JSON.stringify(out));
