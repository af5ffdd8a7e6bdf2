/**
 * IDODownloadStatusCallback implemented in JavaScript: one shared vtable, one small native object
 * per download that has listeners or waiters. The service calls OnStatusChange with borrowed
 * pointers; the status is copied at once, S_OK is returned at once, and listeners run on a later
 * turn of the event loop, so a slow or throwing listener never holds or reaches the service.
 */
import { copyBytes, Implementation, S_OK, type JsComObject } from '../../com';
import { DO_DOWNLOAD_STATUS_SIZE, IDODownloadStatusCallback, decodeDownloadStatus, type DownloadStatusWire } from '../../ido';

interface StatusCallbackState {
  onStatus: ((status: DownloadStatusWire) => void) | null;
}

export const statusCallbackImplementation = new Implementation<StatusCallbackState, typeof IDODownloadStatusCallback>({
  iface: IDODownloadStatusCallback,
  onThrowResult: S_OK,
  freeAfterFinalReleaseMs: 30_000,
  methods: {
    OnStatusChange: (state, _download, status) => {
      const listener = state.onStatus;
      if (!listener || status === null) return;
      const wire = decodeDownloadStatus(copyBytes(status, DO_DOWNLOAD_STATUS_SIZE));
      setImmediate(() => listener(wire));
    },
  },
});

/** A callback object owning one reference (ours); the service AddRefs its own. */
export function createStatusCallback(onStatus: (status: DownloadStatusWire) => void): JsComObject<StatusCallbackState> {
  return statusCallbackImplementation.create({ onStatus });
}
