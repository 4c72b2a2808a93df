/**
 * How a relationship joins its two tables, decided once at declaration from the foreign
 * keys between them: one-to-many when the target's table references the owner's,
 * many-to-one when the owner's references the target's. Several candidate foreign keys
 * (two columns referencing the same table, or keys both ways) are an error unless the
 * `foreignKeys` option names the columns to use, as in SQLAlchemy.
 */
import { ArgumentError, type ForeignKeyLink, type Table, TableColumn } from '@athanor/core';
import { AmbiguousForeignKeysError, NoForeignKeysError } from './errors';
import type { Mapper } from './mapper';

/** Both sides of one foreign-key column pair: `one` on the referenced side, `many` on the referencing side (column keys). */
export interface ColumnPair {
  one: string;
  many: string;
}

export type Direction = 'oneToMany' | 'manyToOne' | 'manyToMany';

export interface RelationshipJoin {
  direction: Direction;
  pairs: ColumnPair[];
}

/** One candidate foreign key: its links (several for a composite key) and which way it runs. */
interface Candidate {
  direction: Direction;
  owner: Mapper;
  links: ForeignKeyLink[];
}

export function resolveJoin(
  where: string,
  parent: Mapper,
  target: Mapper,
  foreignKeys: readonly unknown[] | undefined,
  remoteSide: readonly unknown[] | undefined,
): RelationshipJoin {
  const chosen = foreignKeys && checkForeignKeys(where, parent, target, foreignKeys);
  let candidates: Candidate[];
  if (parent === target) {
    // A table to itself: one-to-many (children) unless remoteSide names the referenced columns (parent).
    const remote = remoteSide && checkForeignKeys(where, parent, target, remoteSide);
    const own = candidatesOf('oneToMany', parent, parent);
    const manyToOne = remote !== undefined && own.some((c) => c.links.some((l) => remote.includes(l.referred as TableColumn)));
    candidates = own.map((c) => ({ ...c, direction: manyToOne ? 'manyToOne' : 'oneToMany' }));
  } else {
    if (remoteSide !== undefined) throw new ArgumentError(`Relationship ${where}: remoteSide is for a relationship of a table to itself; '${parent.table.name}' and '${target.table.name}' differ.`);
    candidates = [...candidatesOf('oneToMany', target, parent), ...candidatesOf('manyToOne', parent, target)];
  }
  if (chosen) {
    candidates = candidates
      .map((c) => ({ ...c, links: c.links.filter((l) => chosen.includes(l.parent as TableColumn)) }))
      .filter((c) => c.links.length > 0);
    for (const col of chosen) {
      if (!candidates.some((c) => c.links.some((l) => l.parent === col))) {
        const other = col.table === parent.table ? target.table : parent.table;
        throw new NoForeignKeysError(
          `Relationship ${where}: foreignKeys names ${columnName(parent, target, col)}, which has no ForeignKey to table '${other.name}'; name a column that references it.`,
        );
      }
    }
  }
  if (candidates.length === 0) {
    throw new NoForeignKeysError(
      `Relationship ${where}: no foreign key links tables '${parent.table.name}' and '${target.table.name}'; add a ForeignKey to a column of one of them (for example Column(Integer, ForeignKey('${parent.table.name}.${parent.table.primaryKey[0]?.name ?? 'id'}')) in '${target.table.name}').`,
    );
  }
  if (candidates.length > 1) {
    const listed = candidates.map((c) => c.links.map((l) => columnName(parent, target, l.parent as TableColumn)).join(' + ')).join(', ');
    const example = candidates[0].links.map((l) => columnRef(parent, target, l.parent as TableColumn));
    const tables = [...new Set(candidates.map((c) => `'${c.owner.table.name}'`))].join(' and ');
    throw new AmbiguousForeignKeysError(
      `Relationship ${where} is ambiguous: ${candidates.length} foreign keys in ${tables} link '${parent.table.name}' and '${target.table.name}' (${listed}). ` +
        `Name the one this relationship uses with the foreignKeys option, e.g. relationship(${target.name}, { foreignKeys: ${example.length === 1 ? example[0] : `[${example.join(', ')}]`} }).`,
    );
  }
  const [{ direction, links }] = candidates;
  return { direction, pairs: links.map((l) => ({ one: l.referred.key as string, many: l.parent.key as string })) };
}

/** The foreign keys of `from`'s table that reference `to`'s table, one candidate per foreign key (composite keys grouped). */
function candidatesOf(direction: Direction, from: Mapper, to: Mapper): Candidate[] {
  const groups = new Map<unknown, ForeignKeyLink[]>();
  const composite = from.table.foreignKeyConstraints;
  for (const link of from.table.foreignKeyLinksTo(to.table)) {
    // A column of a composite ForeignKeyConstraint belongs to that constraint's group.
    const group = composite.find((fk) => fk.columns.includes(link.parent as TableColumn)) ?? link.parent;
    const list = groups.get(group);
    if (list) list.push(link);
    else groups.set(group, [link]);
  }
  return [...groups.values()].map((links) => ({ direction, owner: from, links }));
}

function checkForeignKeys(where: string, parent: Mapper, target: Mapper, cols: readonly unknown[]): TableColumn[] {
  if (cols.length === 0) throw new ArgumentError(`Relationship ${where}: foreignKeys is empty; name the column(s) holding the foreign key, e.g. ${target.name}.c.${target.columnKeys[0]}.`);
  return cols.map((col) => {
    if (!(col instanceof TableColumn) || (col.table !== parent.table && col.table !== target.table)) {
      throw new ArgumentError(
        `Relationship ${where}: foreignKeys takes columns of table '${parent.table.name}' or '${target.table.name}' (such as ${parent.name}.c.${parent.columnKeys[0]}); got ${describe(col)}.`,
      );
    }
    return col;
  });
}

/** `Message.c.senderId`: the column as the user writes it. */
function columnRef(parent: Mapper, target: Mapper, col: TableColumn): string {
  return `${col.table === parent.table ? parent.name : target.name}.c.${col.key}`;
}

/** `Message.c.senderId (sender_id)`: the column as the user writes it, and its SQL name. */
function columnName(parent: Mapper, target: Mapper, col: TableColumn): string {
  const ref = columnRef(parent, target, col);
  return col.name === col.key ? ref : `${ref} (${col.name})`;
}

function describe(x: unknown): string {
  if (x instanceof TableColumn) return `column '${(x.table as Table<any, any>).name}.${x.name}'`;
  return typeof x === 'string' ? `the string '${x}' (pass the column object, e.g. Cls.c.key)` : String(x);
}

/** Many-to-many through an association table: its foreign keys to each side. */
export function resolveSecondary(where: string, parent: Mapper, target: Mapper, secondary: Table<any, any>): { pairs: ColumnPair[]; targetPairs: ColumnPair[] } {
  const toParent = secondary.foreignKeyLinksTo(parent.table);
  const toTarget = secondary.foreignKeyLinksTo(target.table);
  if (toParent.length === 0 || toTarget.length === 0) {
    const missing = toParent.length === 0 ? parent.table.name : target.table.name;
    throw new NoForeignKeysError(`Relationship ${where}: the secondary table '${secondary.name}' has no ForeignKey to '${missing}'; give it one column referencing each side.`);
  }
  if (parent === target || toParent.length !== parent.table.primaryKey.length || toTarget.length !== target.table.primaryKey.length) {
    throw new AmbiguousForeignKeysError(
      `Relationship ${where}: the secondary table '${secondary.name}' must have exactly one foreign key to each side's primary key (a self-referential many-to-many names its two columns with primaryjoin and secondaryjoin, e.g. primaryjoin: User.c.id.eq(follows.c.followerId), secondaryjoin: User.c.id.eq(follows.c.followedId)).`,
    );
  }
  const pair = (l: ForeignKeyLink) => ({ one: l.referred.key as string, many: l.parent.key as string });
  return { pairs: toParent.map(pair), targetPairs: toTarget.map(pair) };
}
