import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * llms.txt (https://llmstxt.org) for coding assistants, written into the built site's root:
 *  - `llms.txt`: the site's title and summary, then one list per sidebar section of links to
 *    each hand-written page's Markdown source (copied beside its HTML as `<page>.md`);
 *  - `llms-full.txt`: every listed page's Markdown, concatenated in sidebar order.
 * The API reference is left out (it is generated from the packages' doc comments, and is
 * large); it is linked once as a whole.
 */
export interface LlmsSection {
  text: string;
  pages: { link: string; text: string; file: string }[];
}

/** Up to the first `.` or `:` that ends a sentence outside a code span. */
function firstSentence(text: string): string {
  let inCode = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '`') inCode = !inCode;
    else if (!inCode && (text[i] === '.' || text[i] === ':') && (i + 1 === text.length || text[i + 1] === ' ')) {
      return `${text.slice(0, i)}.`;
    }
  }
  return text;
}

/** The first sentence of the page's first paragraph, as the link's description. */
function summaryOf(markdown: string): string {
  const body = markdown.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
  for (const block of body.split(/\r?\n\s*\r?\n/)) {
    const text = block.trim();
    if (!text || /^(#|```|:::|\||<|!\[|-\s|\d+\.\s|>)/.test(text)) continue;
    const flat = text.replace(/\s+/g, ' ').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
    return firstSentence(flat);
  }
  return '';
}

function markdownPath(link: string): string {
  return link.endsWith('/') ? `${link}index.md` : `${link}.md`;
}

export function writeLlmsFiles(
  outDir: string,
  site: { title: string; description: string },
  sections: LlmsSection[],
  optional: LlmsSection[],
): void {
  const lines = [`# ${site.title}`, '', `> ${site.description}`, ''];
  lines.push(
    'Every page below is Markdown. `llms-full.txt` holds all of them in one file. Samples marked',
    '```` ```ts run ```` are executed by the docs tests, and the ```` ```txt output ```` block after',
    'each one is what it prints.',
    '',
  );
  const full: string[] = [];
  const list = (heading: string, section: LlmsSection) => {
    lines.push(`## ${heading}`, '');
    for (const page of section.pages) {
      const source = readFileSync(page.file, 'utf8');
      const target = markdownPath(page.link);
      mkdirSync(dirname(join(outDir, target)), { recursive: true });
      writeFileSync(join(outDir, target), source);
      const summary = summaryOf(source);
      lines.push(`- [${page.text}](${target})${summary ? `: ${summary}` : ''}`);
      full.push(`<!-- ${target} -->\n\n${source.trim()}\n`);
    }
    lines.push('');
  };
  for (const section of sections) list(section.text, section);
  lines.push('## API reference', '', '- [API reference](/api/): every exported name of every package.', '');
  for (const section of optional) list('Optional', section);
  writeFileSync(join(outDir, 'llms.txt'), lines.join('\n'));
  writeFileSync(join(outDir, 'llms-full.txt'), `# ${site.title}\n\n> ${site.description}\n\n${full.join('\n')}`);
}
