import { EventLog } from '../shared/event-log';
import { applyEvent, emptyState, type PbocEvent, type PbocState } from './state';

/** The simulator's `<data>/events.jsonl` (see EventLog): opened, it replays into the state. */
export type EventStore = EventLog<PbocEvent, PbocState>;
export const EventStore = {
  open: (dataDir: string): EventStore => EventLog.open<PbocEvent, PbocState>(dataDir, emptyState, applyEvent),
};
