/**
 * Errors of relationship configuration. They extend core's `ArgumentError` (a mapping was
 * declared wrongly, found before any SQL runs) so one `catch` serves both layers.
 */
import { ArgumentError } from '@athanor/core';

/** A relationship is declared wrongly; the subclasses say how. */
export class RelationshipError extends ArgumentError {
  static override readonly brand: string = 'orm.RelationshipError';
}

/** No foreign key links the two tables (or none of the columns named by `foreignKeys`). */
export class NoForeignKeysError extends RelationshipError {
  static override readonly brand: string = 'orm.NoForeignKeysError';
}

/** Several foreign keys could serve the relationship: `foreignKeys` must name one. */
export class AmbiguousForeignKeysError extends RelationshipError {
  static override readonly brand: string = 'orm.AmbiguousForeignKeysError';
}

/** `backPopulates` names no relationship of the target, or one that does not mirror this one. */
export class BackPopulatesError extends RelationshipError {
  static override readonly brand: string = 'orm.BackPopulatesError';
}

/** A kind of relationship this version cannot map yet (self-referential, many-to-many). */
export class UnsupportedRelationshipError extends RelationshipError {
  static override readonly brand: string = 'orm.UnsupportedRelationshipError';
}
