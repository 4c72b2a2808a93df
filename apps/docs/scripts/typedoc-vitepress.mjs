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
//     as dead. Such a page gets the kind as a suffix: `classes/Index-class.md`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

class VitePressRouter extends MemberRouter {
  /** @param {import('typedoc').Reflection} reflection */
  getIdealBaseName(reflection) {
    const name = super.getIdealBaseName(reflection);
    if (reflection.kindOf(ReflectionKind.Module | ReflectionKind.Namespace) || !/(^|\/)index$/i.test(name)) {
      return name;
    }
    return `${name}-${ReflectionKind.singularString(reflection.kind).toLowerCase().replace(/\s+/g, '-')}`;
  }
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
    if (page.contents !== undefined) page.contents = `::: v-pre\n\n${page.contents.trim()}\n\n:::\n`;
  });
}
