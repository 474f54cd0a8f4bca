/**
 * Typed result of one connection probe (one candidate, one address).
 * Owned by the probes stage; the report embeds it per service.
 */
import type { ConnectMode, Family, ServiceKind } from '../report/model.js';

export interface ProbeReport {
  id: string;
  candidateId: string;
  service: ServiceKind;
  family: Family;
  mode: ConnectMode;
  target: string;
  port: number;
  address: string;
  ipFamily: 4 | 6;
  outcome: string;
}
