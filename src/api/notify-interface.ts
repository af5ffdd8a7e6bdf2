/**
 * Whose callback object a job notifies (GetNotifyInterface): none, one of ours (this process's
 * `job.on()`), or another program's. A job has one notification interface; replacing another
 * program's silently would cut that program off (SharpBITS' known fault), so `job.on()` asks first.
 */
import { ComPtr, IUnknown, type ComRuntime } from '../com';
import { IBackgroundCopyJob } from '../bits';
import type { StepCalls } from './calls';
import { callbackImplementation } from './notifications';

/** What `job.getNotifyInterface()` tells. */
export interface NotifyInterfaceInfo {
  /** A callback object is registered on the job. */
  readonly registered: boolean;
  /** It is one of this process's callback objects (made by `job.on()`), not another program's. */
  readonly ours: boolean;
}

/** Reads the job's notification interface and releases it at once. */
export async function readNotifyInterface(job: StepCalls, runtime: ComRuntime): Promise<NotifyInterfaceInfo> {
  const ptr = await job.call(IBackgroundCopyJob, 'GetNotifyInterface');
  if (ptr === null) return { registered: false, ours: false };
  const held = ComPtr.own(ptr, IUnknown, runtime);
  try {
    // COM identity: QueryInterface(IUnknown) gives every reference to one object the same pointer;
    // the service hands ours back unmarshalled to the object itself (a proxy means another process's).
    const identity = await held.query(IUnknown);
    try {
      return { registered: true, ours: identity !== null && callbackImplementation.owns(identity.ptr) };
    } finally {
      await identity?.release();
    }
  } finally {
    await held.release();
  }
}
