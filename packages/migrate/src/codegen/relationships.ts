import type { Table } from '@athanor/core';
import { fkShapes } from '../autogen/compare';
import { tsKey, tsString } from '../source';
import { camelName } from './names';

/** One relationship attribute of a generated class. */
export interface GeneratedRelationship {
  name: string;
  target: string;
  many: boolean;
  backPopulates: string;
  /** Source of the referencing column(s), when several foreign keys join the same two tables. */
  foreignKeys?: string;
}

export interface RelationshipPlan {
  /** Per class name: its relationships, in declaration order. */
  byClass: Map<string, GeneratedRelationship[]>;
  /** Foreign keys left without relationships, as comment lines. */
  skipped: string[];
}

const columnRef = (cls: string, col: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(col) ? `${cls}.c.${col}` : `${cls}.c[${tsString(col)}]`);

/**
 * The relationships a foreign key implies, like sqlacodegen: on the referencing class a
 * many-to-one named after the key's column (`user_id` -> `user`) or the referred table, and on
 * the referred class a one-to-many named after the referencing table (`posts`), each the
 * other's backPopulates. Two keys between the same tables name the column(s) in foreignKeys
 * and prefix the one-to-many (`senderMessages`). A key to its own table is left to the user
 * (it needs remoteSide), said in a comment.
 */
export function planRelationships(tables: readonly Table<any, any>[], classOf: ReadonlyMap<Table<any, any>, string>): RelationshipPlan {
  const byName = new Map([...classOf].map(([t, cls]) => [t.name, { table: t, cls }]));
  const byClass = new Map<string, GeneratedRelationship[]>();
  const taken = new Map<string, Set<string>>();
  const skipped: string[] = [];
  const claim = (table: Table<any, any>, cls: string, wanted: string) => {
    let names = taken.get(cls);
    if (!names) taken.set(cls, (names = new Set(table.columns.map((c) => c.name))));
    let n = wanted;
    for (let i = 2; names.has(n); i++) n = `${wanted}${i === 2 ? 'Ref' : `Ref${i - 1}`}`;
    names.add(n);
    return n;
  };
  for (const child of tables) {
    const fks = fkShapes(child);
    for (const fk of fks) {
      const parent = byName.get(fk.referredTable);
      const childCls = classOf.get(child)!;
      if (!parent) continue;
      if (parent.table === child) {
        skipped.push(`// ${child.name}.(${fk.columns.join(', ')}) refers to its own table: declare that relationship by hand (it needs remoteSide).`);
        continue;
      }
      const several = fks.filter((f) => f.referredTable === fk.referredTable).length > 1;
      const single = fk.columns.length === 1 ? fk.columns[0] : undefined;
      const stripped = single && /.(_id|Id)$/.test(single) ? single.replace(/(_id|Id)$/, '') : undefined;
      const one = claim(child, childCls, camelName(stripped ?? parent.table.name));
      const many = claim(parent.table, parent.cls, camelName(several ? `${one}_${child.name}` : child.name));
      const foreignKeys = several ? (fk.columns.length === 1 ? columnRef(childCls, fk.columns[0]) : `[${fk.columns.map((c) => columnRef(childCls, c)).join(', ')}]`) : undefined;
      const add = (cls: string, r: GeneratedRelationship) => {
        if (!byClass.has(cls)) byClass.set(cls, []);
        byClass.get(cls)!.push(r);
      };
      add(childCls, { name: one, target: parent.cls, many: false, backPopulates: many, foreignKeys });
      add(parent.cls, { name: many, target: childCls, many: true, backPopulates: one, foreignKeys });
    }
  }
  return { byClass, skipped };
}

/** `declare user: Users;` lines of a class body. */
export function declarations(rels: readonly GeneratedRelationship[]): string[] {
  return rels.map((r) => `  declare ${tsKey(r.name)}: ${r.target}${r.many ? '[]' : ''};`);
}

/** `Base.relationships(Cls, { ... });` for each class that has relationships. */
export function relationshipCalls(plan: RelationshipPlan): string[] {
  const out = [...plan.skipped];
  for (const [cls, rels] of plan.byClass) {
    const items = rels.map((r) => `  ${tsKey(r.name)}: relationship(${r.target}, { backPopulates: ${tsString(r.backPopulates)}${r.foreignKeys ? `, foreignKeys: ${r.foreignKeys}` : ''} }),`);
    out.push(`Base.relationships(${cls}, {\n${items.join('\n')}\n});`);
  }
  return out;
}
