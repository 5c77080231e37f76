// The API reference: renders /openapi.json and lets each operation be tried from the browser (same origin only).
"use strict";

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

/** Text with `code` spans, built from text nodes (never HTML). */
function rich(text) {
  const span = element("span");
  String(text || "").split("`").forEach((part, i) => span.append(i % 2 ? element("code", { text: part }) : part));
  return span;
}

/** A schema as indented JSON in which each "$ref" links to the schema it names. */
function schemaView(schema) {
  const pre = element("pre");
  const json = JSON.stringify(schema, null, 2);
  const pattern = /"#\/components\/schemas\/([\w.-]+)"/g;
  let last = 0;
  for (const match of json.matchAll(pattern)) {
    pre.append(json.slice(last, match.index), element("a", { href: `#schema-${match[1]}`, text: match[0] }));
    last = match.index + match[0].length;
  }
  pre.append(json.slice(last));
  return pre;
}

function parametersTable(parameters) {
  const table = element("table", {}, element("tr", {}, element("th", { text: "Name" }), element("th", { text: "In" }), element("th", { text: "Meaning" })));
  for (const p of parameters) {
    table.append(element("tr", {}, element("td", {}, element("code", { text: p.name })), element("td", { text: p.in + (p.required ? ", required" : "") }), element("td", {}, rich(p.description))));
  }
  return table;
}

function responsesTable(responses) {
  const table = element("table", {}, element("tr", {}, element("th", { text: "Status" }), element("th", { text: "Meaning" }), element("th", { text: "Body" })));
  for (const [status, response] of Object.entries(responses)) {
    const body = element("td");
    for (const [media, content] of Object.entries(response.content || {})) {
      body.append(element("div", {}, element("code", { text: media })), content.schema ? schemaView(content.schema) : null);
    }
    const headers = Object.keys(response.headers || {});
    const meaning = element("td", {}, rich(response.description), headers.length ? element("div", {}, "Headers: ", element("code", { text: headers.join(", ") })) : null);
    table.append(element("tr", {}, element("td", {}, element("strong", { text: status })), meaning, body));
  }
  return table;
}

function tryIt(path, method, operation) {
  const form = element("form", { class: "try" }, element("h4", { text: "Try it" }));
  const inputs = [];
  for (const p of operation.parameters || []) {
    const input = element("input", { name: p.name, placeholder: p.in === "path" ? "required" : "optional" });
    inputs.push([p, input]);
    form.append(element("label", { text: `${p.name} (${p.in})` }), input);
  }
  let key = null;
  if (operation.security) {
    key = element("input", { type: "password", autocomplete: "off", placeholder: "ADMIN_API_KEY" });
    form.append(element("label", { text: "X-Admin-Key" }), key);
  }
  let body = null;
  const media = operation.requestBody && operation.requestBody.content["application/json"];
  if (media) {
    body = element("textarea", { rows: "4" });
    body.value = JSON.stringify(media.example ?? {}, null, 2);
    form.append(element("label", { text: "Body (application/json)" }), body);
  }
  const status = element("p", { class: "result-status" });
  const output = element("pre", { hidden: "" });
  form.append(element("button", { type: "submit", text: `Send ${method.toUpperCase()}` }), status, output);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let url = path;
    const query = new URLSearchParams();
    for (const [p, input] of inputs) {
      if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(input.value));
      else if (input.value) query.set(p.name, input.value);
    }
    if ([...query].length) url += `?${query}`;
    const headers = {};
    if (body) headers["Content-Type"] = "application/json";
    if (key && key.value) headers["X-Admin-Key"] = key.value;
    status.textContent = `${method.toUpperCase()} ${url} …`;
    output.hidden = false;
    output.textContent = "";
    try {
      const response = await fetch(url, { method: method.toUpperCase(), headers, body: body ? body.value : undefined });
      const shown = ["content-type", "retry-after", "etag", "cache-control", "x-request-id"]
        .filter((h) => response.headers.has(h)).map((h) => `${h}: ${response.headers.get(h)}`);
      status.textContent = `${response.status} ${response.statusText}`;
      output.textContent = shown.join("\n") + "\n\n";
      if (!response.body) return;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let text = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        output.textContent = shown.join("\n") + "\n\n" + text;
      }
      if ((response.headers.get("content-type") || "").includes("json")) {
        try { output.textContent = shown.join("\n") + "\n\n" + JSON.stringify(JSON.parse(text), null, 2); } catch { /* as sent */ }
      }
    } catch (error) {
      status.textContent = `Failed: ${error.message}`;
    }
  });
  return form;
}

function operationView(path, method, operation) {
  const summary = element("summary", {},
    element("span", { class: `method ${method}`, text: method.toUpperCase() }),
    element("span", { class: "path", text: path }),
    element("span", { class: "summary", text: operation.summary || "" }),
    operation.security ? element("span", { class: "lock", text: "admin key" }) : null);
  const body = element("div", { class: "body" });
  if (operation.description) body.append(element("p", {}, rich(operation.description)));
  if (operation.parameters) body.append(element("h4", { text: "Parameters" }), parametersTable(operation.parameters));
  const media = operation.requestBody && operation.requestBody.content["application/json"];
  if (media) body.append(element("h4", { text: "Request body (application/json)" }), schemaView(media.schema));
  body.append(element("h4", { text: "Responses" }), responsesTable(operation.responses || {}));
  if (method !== "head") body.append(tryIt(path, method, operation));
  return element("details", { class: "op", id: `op-${operation.operationId}` }, summary, body);
}

/** Opens the operation or schema the address names (#op-chat, #schema-ChatAnswer), so a $ref link shows its target. */
function openTarget() {
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target && target.tagName === "DETAILS") {
    target.open = true;
    target.scrollIntoView();
  }
}

async function render() {
  const status = document.getElementById("status");
  try {
    const response = await fetch("/openapi.json");
    const spec = await response.json();
    document.getElementById("title").textContent = `${spec.info.title} — API ${spec.info.version}`;
    document.getElementById("description").replaceChildren(rich(spec.info.description));
    const byTag = new Map((spec.tags || []).map((t) => [t.name, []]));
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const tag = (operation.tags || ["Other"])[0];
        if (!byTag.has(tag)) byTag.set(tag, []);
        byTag.get(tag).push(operationView(path, method, operation));
      }
    }
    const operations = document.getElementById("operations");
    const descriptions = new Map((spec.tags || []).map((t) => [t.name, t.description]));
    for (const [tag, views] of byTag) {
      if (views.length === 0) continue;
      operations.append(element("h2", { class: "tag", text: tag }), element("p", { class: "hint", text: descriptions.get(tag) || "" }), ...views);
    }
    const schemas = document.getElementById("schemas");
    for (const [name, schema] of Object.entries(spec.components.schemas || {})) {
      schemas.append(element("details", { class: "schema", id: `schema-${name}` }, element("summary", { class: "schema-name", text: name }), schemaView(schema)));
    }
    status.textContent = `${Object.keys(spec.paths).length} paths, OpenAPI ${spec.openapi}.`;
    openTarget();
    window.addEventListener("hashchange", openTarget);
  } catch (error) {
    status.textContent = `Could not load /openapi.json: ${error.message}`;
  }
}

document.addEventListener("DOMContentLoaded", render);
