// @ts-check
// TypeDoc plugin that fits the generated markdown (typedoc-plugin-markdown) to this site.
//  1. Names each entry module after its package: with the "resolve" entry point strategy
//     TypeDoc would call it by its path ("core/src"); users import "@athanor/core".
//  2. Wraps every page in VitePress's `::: v-pre` container. VitePress compiles pages as
//     Vue templates, so `{{ ... }}` in a doc comment or an inline code span would be
//     evaluated (and vanish from the page); `sanitizeComments` in typedoc.json already
//     escapes `<` and `>` that would otherwise open a Vue element.
//  3. Routes pages with the "member" router of typedoc-plugin-markdown, except that a
//     member page never ends in `index.md` in any letter case: VitePress reads
//     `classes/Index.md` (a class named Index) as the folder's index page and its links
//     as dead. Such a page gets the kind as a suffix: `classes/Index-class.md`. Names that
//     differ only in letter case (the `Text()` type and the `text()` clause) would share a
//     file on a case-insensitive disk, and typedoc would name one `Text-1.md`: the one with
//     capitals gets a suffix saying what it is instead (`functions/Text-sql-type.md`).
//  4. Writes the row type of `select()` by its name: TypeScript hands typedoc the expanded
//     mapped type (`{ [K in any]: (ColumnsRow<E[number]> & …)[K] }`), which says nothing to
//     a reader; the alias it expands, `RowOf<E>`, is documented on its own page.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { Converter, ReflectionKind } from 'typedoc';
import { MarkdownPageEvent, MemberRouter } from 'typedoc-plugin-markdown';

/** @param {string} file */
function packageNameOf(file) {
  let dir = dirname(file);
  while (dir !== dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) return JSON.parse(readFileSync(pj, 'utf8')).name;
    dir = dirname(dir);
  }
  return undefined;
}

/** @param {import('typedoc').Reflection} reflection */
const kindSuffix = (reflection) =>
  ReflectionKind.singularString(reflection.kind).toLowerCase().replace(/\s+/g, '-');

/** @param {import('typedoc').Reflection} reflection */
function differsOnlyInCase(reflection) {
  const parent = /** @type {import('typedoc').ContainerReflection | undefined} */ (reflection.parent);
  const lower = reflection.name.toLowerCase();
  return (
    reflection.name !== lower &&
    (parent?.children ?? []).some((c) => c !== reflection && c.name.toLowerCase() === lower && c.name !== reflection.name)
  );
}

/** @param {import('typedoc').Reflection} reflection */
function caseSuffix(reflection) {
  const sig = /** @type {import('typedoc').DeclarationReflection} */ (reflection).signatures?.[0];
  const returns = sig?.type?.type === 'reference' ? sig.type.name : '';
  return returns.endsWith('Type') ? 'sql-type' : kindSuffix(reflection);
}

class VitePressRouter extends MemberRouter {
  /** @param {import('typedoc').Reflection} reflection */
  getIdealBaseName(reflection) {
    const name = super.getIdealBaseName(reflection);
    if (reflection.kindOf(ReflectionKind.Module | ReflectionKind.Namespace)) return name;
    if (differsOnlyInCase(reflection)) return `${name}-${caseSuffix(reflection)}`;
    if (!/(^|\/)index$/i.test(name)) return name;
    return `${name}-${kindSuffix(reflection)}`;
  }
}

const EXPANDED_ROW = /\{ \[K in any\]: \(ColumnsRow<(\w+)\[number\]> & FromsRow<\1\[number\]> & EntitiesRow<\1\[number\]>\)\[K\] \}/g;
const SIMPLIFIED = /\{ \[K in any\]: \(([^`]*?)\)\[K\] \}/g;

/**
 * @param {string} contents
 * @param {string} url  the page's path in the output, e.g. `core/functions/select.md`
 */
function nameRowTypes(contents, url) {
  const rowOf = posix.relative(posix.dirname(url), 'core/type-aliases/RowOf.md');
  return contents
    .replace(new RegExp(`\`${EXPANDED_ROW.source}\``, 'g'), (_, e) => `[\`RowOf\`](${rowOf})\\<\`${e}\`\\>`)
    .replace(/`[^`\n]*`/g, (span) => span.replace(EXPANDED_ROW, 'RowOf<$1>').replace(SIMPLIFIED, '$1'));
}

/** @param {import('typedoc-plugin-markdown').MarkdownApplication} app */
export function load(app) {
  app.renderer.defineRouter('vitepress', VitePressRouter);
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
    const name = file && packageNameOf(file);
    if (name) reflection.name = name;
  });
  app.renderer.on(MarkdownPageEvent.END, (page) => {
    if (page.contents === undefined) return;
    page.contents = `::: v-pre\n\n${nameRowTypes(page.contents, page.url).trim()}\n\n:::\n`;
  });
}
