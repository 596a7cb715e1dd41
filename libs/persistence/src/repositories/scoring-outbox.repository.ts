import { EntityManager } from 'typeorm';
import { TableOutbox } from './outbox.repository';

/** scoring's outbox of accountability events (`scoring_outbox`); same mechanics, its own table. */
export class ScoringOutboxRepository extends TableOutbox {
  constructor(db: EntityManager) {
    super(db, 'scoring_outbox');
  }
}
