/** DDL statements: CREATE/DROP TABLE and INDEX, ADD/DROP CONSTRAINT. */
import type { Constraint, Index } from '../schema/constraints';
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
