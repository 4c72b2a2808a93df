/**
 * A timestamptz is read in the session's TimeZone by EXTRACT, date_trunc and interval
 * arithmetic; Athanor reads it as UTC, so a session in New York (DST changes on
 * 2024-03-10 and 2024-11-03) gets the same answers as the other databases.
 */
import { Column, DateTime, Integer, MetaData, Table, dateTrunc, extract, insert, interval, select } from '@athanor/core';
import { engineInOwnSchema, liveDescribe } from './server';

const schema = `dates_tz_${process.pid}`;
const metadata = new MetaData({ schema });
const t = new Table('moments', metadata, { id: Column(Integer, { primaryKey: true }), at: Column(DateTime({ timezone: true }), { nullable: false }) });
// 04:30Z is 23:30 the day before in New York; the next two are on the DST change days.
const AT = [new Date('2024-03-01T04:30:00Z'), new Date('2024-03-10T06:30:00Z'), new Date('2024-11-03T05:30:00Z')];

liveDescribe('dates with the session TimeZone in New York')('timestamptz in a New York session', () => {
  const engine = engineInOwnSchema(schema, metadata, { driverOptions: { options: '-c TimeZone=America/New_York' } });

  test('extract, dateTrunc and interval arithmetic read UTC', async () => {
    await engine().connect((c) => c.execute(insert(t), AT.map((at, i) => ({ id: i + 1, at }))));
    const rows = await engine().connect(async (c) =>
      (
        await c.execute(
          select(extract('hour', t.c.at).label('hour'), extract('day', t.c.at).label('day'), dateTrunc('day', t.c.at).label('midnight'), t.c.at.add(interval({ days: 1 })).label('next')).orderBy(
            t.c.id,
          ),
        )
      ).all(),
    );
    expect(rows).toEqual(
      AT.map((at) => ({
        hour: at.getUTCHours(),
        day: at.getUTCDate(),
        midnight: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())),
        next: new Date(at.getTime() + 86_400_000),
      })),
    );
  });
});
