// The front page: live health, a streamed chat and an Urdu translation, all against this origin.
"use strict";

const $ = (id) => document.getElementById(id);

/** A link only for http(s) URLs, so a source can never run script. */
function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** The sentence a ProblemDetails (or client A's {success:false, error}) carries, else the status line. */
async function problemText(response) {
  try {
    const body = await response.json();
    return body.detail || body.error || body.title || `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

/** POSTs a JSON body, as the book's widget does: Content-Type application/json and nothing else. */
function postJson(path, body) {
  return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

/** Shows an error in a meta line. */
function showError(meta, error) {
  meta.textContent = `Error: ${error.message}`;
  meta.className = "meta error";
}

/** Translation needs a language model: without one the button is disabled and says why. */
function showTranslateAvailability(llm) {
  const off = llm != null && llm.status === "not_configured";
  $("translate").disabled = off;
  const reason = $("translate-reason");
  reason.hidden = !off;
  reason.textContent = off
    ? "Translation is off: this server has no language model (set COHERE_API_KEY, or LLM_BASE_URL and LLM_MODEL)."
    : "";
}

async function showHealth() {
  const line = $("health");
  const text = $("health-text");
  try {
    const response = await fetch("/health", { cache: "no-store" });
    const health = await response.json();
    line.dataset.state = health.status === "ok" ? "ok" : "degraded";
    const parts = [`Health: ${health.status}`, `version ${health.version}`];
    const services = health.services || {};
    const names = { llm: "language model", embeddings: "embeddings", vector_store: "index" };
    for (const [key, label] of Object.entries(names)) {
      const service = services[key];
      if (!service) continue;
      let part = service.status === "not_configured" ? `${label}: not configured` : `${label}: ${service.provider} ${service.status}`;
      if (key === "vector_store" && service.pages != null) part += ` (${service.pages} pages, ${service.chunks} chunks)`;
      parts.push(part);
    }
    text.textContent = parts.join(" · ");
    showTranslateAvailability(services.llm);
    $("version").textContent = `version ${health.version}`;
  } catch (error) {
    line.dataset.state = "down";
    text.textContent = `Health: unreachable (${error.message})`;
  }
}

async function loadPages() {
  const input = $("page-url");
  try {
    const response = await fetch("/pages");
    if (!response.ok) throw new Error(await problemText(response));
    const { pages } = await response.json();
    const list = $("page-list");
    for (const page of pages) {
      const option = document.createElement("option");
      option.value = page.url;
      option.label = page.title;
      option.textContent = page.title;
      list.append(option);
    }
    input.placeholder = pages.length ? `Pick one of ${pages.length} pages, or type a page URL` : "Type a page URL";
    if (pages.length && !input.value) input.value = pages[0].url;
  } catch {
    input.placeholder = "Type a page URL";
  }
}

/** Reads client A's framing: blocks split on "\n\n", each "data: {json}"; other blocks (": ping") are skipped. */
async function* events(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith("data: ")) yield JSON.parse(block.slice(6));
    }
  }
}

function showSources(sources) {
  const list = $("sources");
  list.replaceChildren();
  for (const source of sources || []) {
    const item = document.createElement("li");
    const url = safeUrl(source.url);
    const label = source.title || [source.chapter, source.section].filter(Boolean).join(" › ") || source.url;
    const link = document.createElement(url ? "a" : "span");
    link.textContent = label;
    if (url) {
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    }
    const address = document.createElement("span");
    address.className = "url";
    address.textContent = source.url;
    item.append(link, address);
    list.append(item);
  }
  $("sources-box").hidden = list.children.length === 0;
}

async function ask(question) {
  const answer = $("answer");
  const meta = $("answer-meta");
  const button = $("ask");
  $("answer-box").hidden = false;
  $("sources-box").hidden = true;
  answer.textContent = "";
  answer.className = "answer-text streaming";
  meta.textContent = "";
  meta.className = "meta";
  button.disabled = true;
  try {
    const response = await postJson("/stream-chat", { question });
    if (!response.ok) throw new Error(await problemText(response));
    let finished = false;
    for await (const event of events(response)) {
      if (event.error) throw new Error(event.error);
      if (event.token) answer.textContent += event.token;
      if (event.done) {
        finished = true;
        if (event.response) {
          const result = JSON.parse(event.response);
          answer.textContent = result.answer;
          showSources(result.sources);
          meta.textContent = [result.mode, result.latency_ms != null ? `${result.latency_ms} ms` : null].filter(Boolean).join(" · ");
        }
      }
    }
    if (!finished) throw new Error("The answer stream ended early.");
  } catch (error) {
    showError(meta, error);
  } finally {
    answer.classList.remove("streaming");
    button.disabled = false;
  }
}

async function translate(pageUrl) {
  const output = $("translation");
  const meta = $("translation-meta");
  const button = $("translate");
  $("translation-box").hidden = false;
  output.textContent = "";
  meta.className = "meta";
  meta.textContent = "اردو میں ترجمہ ہو رہا ہے… (translating, this can take a while for a long page)";
  button.disabled = true;
  try {
    const response = await postJson("/translate", { page_url: pageUrl, target_language: "urdu" });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.success) throw new Error(body.error || body.detail || `${response.status} ${response.statusText}`);
    output.textContent = body.translation;
    meta.textContent = [body.model, body.cached ? "from the cache" : null, `${body.sections} sections`].filter(Boolean).join(" · ");
  } catch (error) {
    showError(meta, error);
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const question = $("question");
  $("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (question.value.trim()) ask(question.value.trim());
  });
  question.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("chat-form").requestSubmit();
    }
  });
  for (const chip of document.querySelectorAll("#examples .chip")) {
    chip.addEventListener("click", () => {
      question.value = chip.textContent;
      $("chat-form").requestSubmit();
    });
  }
  $("translate-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const url = $("page-url").value.trim();
    if (url && !$("translate").disabled) translate(url);
  });
  // The agent snippets name this server as the reader reached it.
  for (const origin of document.querySelectorAll(".origin")) origin.textContent = location.origin;
  showHealth();
  loadPages();
});
