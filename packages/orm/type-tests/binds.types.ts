/** Static types of session binds: mapped classes or tables to engines; anything else does not compile. */
import { Column, type Engine, Integer, MetaData, Table } from '@athanor/core';
import { Session, type SessionOptions, declarativeBase } from '@athanor/orm';
import { type Equal, expectType } from './assert';

declare const main: Engine;
declare const audit: Engine;
const Base = declarativeBase();
class Event extends Base.mapped('bt_event', { id: Column(Integer, { primaryKey: true }) }) {}
const log = new Table('bt_log', new MetaData(), { id: Column(Integer, { primaryKey: true }) });

new Session(main, { binds: new Map<typeof Event | typeof log, Engine>([[Event, audit], [log, audit]]) });
new Session(main, { binds: new Map([[Event, audit]]) });
// @ts-expect-error a bind's value is an Engine
new Session(main, { binds: new Map([[Event, 'postgresql://x']]) });
// @ts-expect-error binds is a Map, not a list of pairs
new Session(main, { binds: [[Event, audit]] });
expectType<Equal<NonNullable<SessionOptions['binds']>['size'], number>>(true);
