import { EventLog } from '../shared/event-log';
import { applyEvent, type BankEvent, type BankState, emptyState } from './state';

/** The simulator's `<data>/events.jsonl` (see EventLog): opened, it replays into the state. */
export type EventStore = EventLog<BankEvent, BankState>;
export const EventStore = {
  open: (dataDir: string): EventStore => EventLog.open<BankEvent, BankState>(dataDir, emptyState, applyEvent),
};
