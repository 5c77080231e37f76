// Records the heading ids Docusaurus 3 gives every page of the books in ../shared/corpora, as a JSON fixture for the
// anchor tests. It compiles each page the way Docusaurus' MDX loader does with its defaults (markdown.format "mdx",
// mdx1Compat on): front matter removed, HTML comments turned into MDX comments, {#id} heading ids and ":::note Title"
// admonition titles escaped, then parsed by @mdx-js/mdx with remark-gfm and remark-directive; every heading's id is
// its {#id} or github-slugger's slug of its text (mdast-util-to-string), one slugger per page, as Docusaurus' headings
// plugin does. Pages MDX cannot compile are recorded with the error (the site would not build them). The pages in
// cases/ (broken code fences) are recorded under "cases".
//
// Usage (from this folder; the versions are pinned in package-lock.json):
//   npm ci && node generate.mjs ../../../../shared/corpora > docusaurus-anchors.json
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createProcessor } from '@mdx-js/mdx';
import GithubSlugger from 'github-slugger';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkDirective from 'remark-directive';
import { visit } from 'unist-util-visit';

const corpora = process.argv[2];
if (!corpora) {
  console.error('usage: node generate.mjs <corpora-folder>');
  process.exit(1);
}

const processor = createProcessor({ remarkPlugins: [remarkGfm, remarkDirective] });

function files(folder) {
  return readdirSync(folder).sort().flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function isPage(relativePath) {
  return /\.mdx?$/i.test(relativePath) && !relativePath.split('/').some((s) => s.startsWith('_') || s.startsWith('.'));
}

function preprocess(source) {
  let text = source.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
  const frontMatter = /^---\n[\s\S]*?\n---(\n|$)/.exec(text);
  if (frontMatter) {
    text = '\n'.repeat(frontMatter[0].split('\n').length - 1) + text.slice(frontMatter[0].length);
  }
  text = text.replace(/<!--([\s\S]*?)-->/g, '{/*$1*/}');
  text = text.replace(/^(#{1,6}\s.*?)\s*\{#([\w-]+)\}\s*$/gm, '$1 \\{#$2\\}');
  text = text.replace(/^(\s*:::\w+)[ \t]+([^\[{\n][^\n]*)$/gm, '$1[$2]');
  return text;
}

function headingIds(source) {
  const tree = processor.parse(preprocess(source));
  const slugger = new GithubSlugger();
  const ids = [];
  visit(tree, 'heading', (heading) => {
    const text = toString(heading);
    const explicit = /^(.*?)\s*\{#([\w-]+)\}$/s.exec(text);
    ids.push(explicit ? explicit[2] : slugger.slug(text));
  });
  return ids;
}

const fixture = {};
for (const corpus of readdirSync(corpora).filter((c) => c.startsWith('corpus-')).sort()) {
  const docs = join(corpora, corpus, 'docs');
  const pages = {};
  for (const file of files(docs)) {
    const path = relative(docs, file).split(sep).join('/');
    if (!isPage(path)) continue;
    try {
      pages[path] = headingIds(readFileSync(file, 'utf8'));
    } catch (error) {
      pages[path] = { error: String(error.reason ?? error.message).split('\n')[0] };
    }
  }
  fixture[corpus] = pages;
}

// Pages with broken code fences (cases/), where MDX and CommonMark disagree on which headings exist.
const cases = new URL('./cases/', import.meta.url).pathname;
fixture.cases = Object.fromEntries(readdirSync(cases).sort().map((name) => [name, headingIds(readFileSync(join(cases, name), 'utf8'))]));

process.stdout.write(JSON.stringify(fixture, null, 1) + '\n');
