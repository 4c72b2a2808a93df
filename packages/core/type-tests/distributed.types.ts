/** Options of distributed databases and poolers: only the values the engines know type-check (checked by tsc). */
import { Column, type Engine, type EngineOptions, Integer, MetaData, type Select, Table, type TransactionOptions, select } from '@athanor/core';
import { type Equal, expectType } from './assert';

const t = new Table('t', new MetaData(), { id: Column(Integer, { primaryKey: true }) });

// asOfSystemTime() keeps the statement's row type.
const past = select(t.c.id).asOfSystemTime('-10s');
const now = select(t.c.id);
expectType<Equal<typeof past, typeof now>>(true);
expectType<Equal<typeof past extends Select<infer R, any, any> ? R : never, { id: number }>>(true);
select(t.c.id).asOfSystemTime(new Date());
// @ts-expect-error a number is not a time CockroachDB reads here (nanoseconds go as text)
select(t.c.id).asOfSystemTime(10);

const priorities: TransactionOptions[] = [{ priority: 'low' }, { priority: 'normal' }, { priority: 'high' }];
// @ts-expect-error CockroachDB has three priorities
const urgent: TransactionOptions = { priority: 'urgent' };

const pooled: EngineOptions = { pooler: 'transaction' };
// @ts-expect-error only transaction pooling needs the option
const session: EngineOptions = { pooler: 'session' };

declare const engine: Engine;
void engine.transaction(async () => 1, { priority: 'high', retries: 5 });
void [priorities, urgent, pooled, session];
