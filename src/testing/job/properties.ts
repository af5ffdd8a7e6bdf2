/**
 * IBackgroundCopyJob5 properties. Values travel as the 16-byte BITS_JOB_PROPERTY_VALUE union; the
 * fake stores each one at its member's width (the rest of the union zeroed), so a Get answers
 * exactly what the matching Set gave.
 */
import { JobPropertyId, TransferPolicy } from '../../bits';
import type { FakeFlavour } from '../options';

/** sizeof(BITS_JOB_PROPERTY_VALUE). */
export const JOB_PROPERTY_VALUE_SIZE = 16;

/** Width of the union member each property uses (Dword/Enable/Target 4, Uint64 8, ClsID 16). */
const WIDTH: ReadonlyMap<number, number> = new Map([
  [JobPropertyId.CostFlags, 4],
  [JobPropertyId.NotificationClsid, 16],
  [JobPropertyId.DynamicContent, 4],
  [JobPropertyId.HighPerformance, 4],
  [JobPropertyId.MaxDownloadSize, 8],
  [JobPropertyId.UseStoredCredentials, 4],
  [JobPropertyId.MinimumNotificationIntervalMs, 4],
  [JobPropertyId.OnDemandMode, 4],
]);

/** Delivery Optimization documents only these two; every other id is "not supported". */
const DO_PROPERTIES: ReadonlySet<number> = new Set([JobPropertyId.CostFlags, JobPropertyId.NotificationClsid]);

export class JobProperties {
  readonly #values = new Map<number, Buffer>();

  constructor(readonly flavour: FakeFlavour) {
    const cost = Buffer.alloc(JOB_PROPERTY_VALUE_SIZE);
    cost.writeUInt32LE(TransferPolicy.Always >>> 0, 0);
    this.#values.set(JobPropertyId.CostFlags, cost);
  }

  supports(id: number): boolean {
    return WIDTH.has(id) && (this.flavour === 'bits' || DO_PROPERTIES.has(id));
  }

  /** A copy of the 16-byte union value (zeros for a property never set). */
  get(id: number): Buffer {
    return Buffer.from(this.#values.get(id) ?? Buffer.alloc(JOB_PROPERTY_VALUE_SIZE));
  }

  set(id: number, union: Buffer): void {
    const width = WIDTH.get(id) ?? JOB_PROPERTY_VALUE_SIZE;
    const value = Buffer.alloc(JOB_PROPERTY_VALUE_SIZE);
    union.copy(value, 0, 0, width);
    this.#values.set(id, value);
  }
}
