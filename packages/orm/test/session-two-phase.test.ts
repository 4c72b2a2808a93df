/**
 * Two-phase commit of a session with binds (`twoPhase: true`) on the scale-out PostgreSQL
 * primary (it allows prepared transactions): two engines, each in a schema of its own, are
 * committed together by PREPARE TRANSACTION on both, then COMMIT PREPARED; when the second
 * PREPARE fails (a deferred unique constraint checked at PREPARE), the first prepared
 * transaction is rolled back and nothing is written anywhere; no prepared transaction is
 * left behind. Rows read back through Core.
 */
import { Column, Integer, InvalidRequestError, IntegrityError, String, createEngine, select, text } from '@athanor/core';
import { Session, declarativeBase } from '@athanor/orm';
import { scaleOutPrimary } from './databases';
import { useLiveDatabase } from './live';

const A = declarativeBase();
class Order extends A.mapped('tp_order', { id: Column(Integer, { primaryKey: true }), item: Column(String(40), { nullable: false }) }) {}
const B = declarativeBase();
class Stock extends B.mapped('tp_stock', { id: Column(Integer, { primaryKey: true }), sku: Column(String(40), { nullable: false }) }) {}

const primary = scaleOutPrimary();

(primary.available ? describe : describe.skip)('two-phase commit across two engines (PostgreSQL)', () => {
  const orders = useLiveDatabase(primary, A.metadata);
  const stock = useLiveDatabase(primary, B.metadata);
  beforeAll(async () => {
    await stock.engine.connect((c) => c.execute(text('ALTER TABLE tp_stock ADD CONSTRAINT tp_stock_sku UNIQUE (sku) DEFERRABLE INITIALLY DEFERRED')));
  });
  const session = () => new Session(orders.engine, { binds: new Map([[Stock, stock.engine]]), twoPhase: true });
  const prepared = () => orders.rows(text("SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'athanor_%'"));

  test('both engines commit together', async () => {
    await using s = session();
    s.add(new Order({ id: 1, item: 'lamp' }));
    s.add(new Stock({ id: 1, sku: 'lamp-1' }));
    await s.commit();
    expect(await orders.rows(select(Order.c.item))).toEqual([{ item: 'lamp' }]);
    expect(await stock.rows(select(Stock.c.sku))).toEqual([{ sku: 'lamp-1' }]);
    expect(await prepared()).toEqual([]);
  });

  test('a PREPARE that fails rolls back the transaction already prepared: nothing is written', async () => {
    await using s = session();
    s.add(new Order({ id: 2, item: 'desk' }));
    // Flushed first, so the orders engine's transaction is the first prepared.
    await s.flush();
    // A duplicate sku: the deferred constraint fails at PREPARE TRANSACTION, after the orders engine prepared.
    s.add(new Stock({ id: 2, sku: 'lamp-1' }));
    const seen: string[] = [];
    const stop = orders.engine.on('beforeExecute', (e) => seen.push(e.sql.replace(/'[^']*'/, "'…'")));
    const err = await s.commit().catch((e: unknown) => e);
    stop();
    expect(err).toBeInstanceOf(IntegrityError);
    // The orders engine prepared, then rolled its prepared transaction back.
    expect(seen).toEqual(["PREPARE TRANSACTION '…'", 'COMMIT', "ROLLBACK PREPARED '…'"]);
    expect(await orders.rows(select(Order.c.item).orderBy(Order.c.id))).toEqual([{ item: 'lamp' }]);
    expect(await stock.rows(select(Stock.c.sku).orderBy(Stock.c.id))).toEqual([{ sku: 'lamp-1' }]);
    expect(await prepared()).toEqual([]);
  });

  test('twoPhase with an engine that is not PostgreSQL is refused', async () => {
    const lite = createEngine('sqlite://');
    try {
      await using s = new Session(orders.engine, { binds: new Map([[Stock, lite]]), twoPhase: true });
      s.add(new Order({ id: 3, item: 'chair' }));
      const err = await s.commit().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidRequestError);
      expect((err as Error).message).toMatch(/PostgreSQL only/);
    } finally {
      await lite.dispose();
    }
    expect(await orders.rows(select(Order.c.id).where(Order.c.id.eq(3)))).toEqual([]);
  });
});

