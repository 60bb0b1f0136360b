// Every store over one connection, and the unit of work that runs them in one transaction.
import { withTransaction, type OutboxSignal, type Pool, type Queryable } from '@azora/service-kit';
import type { Stores, UnitOfWork } from '../domain/ports';
import { createAuditStore } from './audit';
import { createDebtStore } from './debts';
import { createEscrowStore } from './escrow';
import { createLedger } from './ledger';
import { createRewardDecisionStore } from './reward-decisions';

export function createStores(db: Queryable, outbox?: OutboxSignal): Stores {
  return {
    ledger: createLedger(db, outbox),
    escrow: createEscrowStore(db),
    debts: createDebtStore(db),
    audit: createAuditStore(db),
    rewards: createRewardDecisionStore(db),
  };
}

export function createUnitOfWork(pool: Pool, outbox?: OutboxSignal): UnitOfWork {
  return (work) => withTransaction(pool, (tx) => work(createStores(tx, outbox)));
}
