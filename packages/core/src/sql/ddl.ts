/** DDL statements: CREATE/DROP TABLE, INDEX and SEQUENCE, ADD/DROP CONSTRAINT. */
import type { Constraint, Index } from '../schema/constraints';
import type { SchemaSequence } from '../schema/sequence';
import type { Table } from '../schema/table';
import { ClauseElement, defineElement } from './element';

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

export class AddConstraint extends ClauseElement {
  constructor(readonly constraint: Constraint) {
    super();
  }
}
defineElement(AddConstraint, 'addConstraint', [['constraint', 'ref']]);

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
