/** DDL statements: CREATE/DROP TABLE, INDEX and SEQUENCE, ADD/DROP CONSTRAINT. */
import type { Constraint, Index } from '../schema/constraints';
import type { SchemaSequence } from '../schema/sequence';
import type { Table } from '../schema/table';
import { ClauseElement, defineElement } from './element';

/** `CREATE TABLE` for a Table, with its columns and constraints (`IF NOT EXISTS` optional); what `metadata.createAll()` runs. */
export class CreateTable extends ClauseElement {
  constructor(
    readonly table: Table<any, any>,
    readonly ifNotExists = false,
  ) {
    super();
  }
}
defineElement(CreateTable, 'createTable', [
  ['table', 'ref'],
  ['ifNotExists', 'value'],
]);

/** `DROP TABLE` for a Table (`IF EXISTS` optional); what `metadata.dropAll()` runs. */
export class DropTable extends ClauseElement {
  constructor(
    readonly table: Table<any, any>,
    readonly ifExists = false,
  ) {
    super();
  }
}
defineElement(DropTable, 'dropTable', [
  ['table', 'ref'],
  ['ifExists', 'value'],
]);

/** `CREATE INDEX` (or `CREATE UNIQUE INDEX`) for an Index, `IF NOT EXISTS` optional. */
export class CreateIndex extends ClauseElement {
  constructor(
    readonly index: Index,
    readonly ifNotExists = false,
  ) {
    super();
  }
}
defineElement(CreateIndex, 'createIndex', [
  ['index', 'ref'],
  ['ifNotExists', 'value'],
]);

/** `DROP INDEX` for an Index, `IF EXISTS` optional. */
export class DropIndex extends ClauseElement {
  constructor(
    readonly index: Index,
    readonly ifExists = false,
  ) {
    super();
  }
}
defineElement(DropIndex, 'dropIndex', [
  ['index', 'ref'],
  ['ifExists', 'value'],
]);

/** `ALTER TABLE … ADD CONSTRAINT` for a constraint added after its table was created (a foreign key that closes a cycle). */
export class AddConstraint extends ClauseElement {
  constructor(readonly constraint: Constraint) {
    super();
  }
}
defineElement(AddConstraint, 'addConstraint', [['constraint', 'ref']]);

/** `ALTER TABLE … DROP CONSTRAINT` (`DROP FOREIGN KEY`/`DROP INDEX` on MySQL) for a named constraint. */
export class DropConstraint extends ClauseElement {
  constructor(readonly constraint: Constraint) {
    super();
  }
}
defineElement(DropConstraint, 'dropConstraint', [['constraint', 'ref']]);

/** `CREATE SEQUENCE` (PostgreSQL, MariaDB 10.3+; SQLite and MySQL have no sequences). */
export class CreateSequence extends ClauseElement {
  constructor(
    readonly sequence: SchemaSequence,
    readonly ifNotExists = false,
  ) {
    super();
  }
  /** Structure for the cache key: the qualified name and every option. */
  get definition(): string {
    return JSON.stringify([this.sequence.schema, this.sequence.name, this.sequence.options]);
  }
}
defineElement(CreateSequence, 'createSequence', [
  ['definition', 'value'],
  ['ifNotExists', 'value'],
]);

/** `DROP SEQUENCE` for a Sequence, `IF EXISTS` optional (dialects with sequences only). */
export class DropSequence extends ClauseElement {
  constructor(
    readonly sequence: SchemaSequence,
    readonly ifExists = false,
  ) {
    super();
  }
  get qualifiedName(): string {
    return JSON.stringify([this.sequence.schema, this.sequence.name]);
  }
}
defineElement(DropSequence, 'dropSequence', [
  ['qualifiedName', 'value'],
  ['ifExists', 'value'],
]);
