/**
 * The COM local server (src/com/local-server.ts) through real native vtables: IClassFactory's
 * answers, and the hold counting that decides when the server stops.
 */
import { CLASS_E_NOAGGREGATION, CO_E_SERVER_STOPPING, ComPtr, E_NOINTERFACE, IClassFactory, IUnknown, Implementation, LocalServer, type ClassRegistrar, type ServerLock } from '../../src/com';
import { IBackgroundCopyCallback } from '../../src/bits';
import { libcRuntime } from '../support/libc-runtime';

const runtime = libcRuntime();
const served = new Implementation<{ lock: ServerLock }, typeof IBackgroundCopyCallback>({
  iface: IBackgroundCopyCallback,
  onFinalRelease: (state) => state.lock.release(),
  methods: { JobTransferred: () => undefined, JobError: () => undefined, JobModification: () => undefined },
});

function start(options: { lingerMs?: number; idleTimeoutMs?: number } = {}) {
  const registered = new Map<number, bigint>();
  const registrar: ClassRegistrar = {
    register: (_clsid, factory) => {
      ComPtr.borrow(factory, IUnknown, runtime).invokeRawSync('AddRef');
      registered.set(1, factory);
      return 1;
    },
    revoke: (cookie) => {
      const factory = registered.get(cookie);
      registered.delete(cookie);
      if (factory !== undefined) ComPtr.borrow(factory, IUnknown, runtime).invokeRawSync('Release');
    },
  };
  const server = new LocalServer({ clsid: '11111111-2222-4333-8444-555555555555', runtime, registrar, implementation: served, stateFor: (lock) => ({ lock }), lingerMs: options.lingerMs ?? 0, idleTimeoutMs: options.idleTimeoutMs ?? 10_000 });
  server.start();
  const factory = ComPtr.borrow([...registered.values()][0], IClassFactory, runtime);
  return { server, factory, registered };
}

test('CreateInstance answers the IID through the object, refuses aggregation and unknown IIDs, and the server stops once the object is released', async () => {
  const { server, factory, registered } = start();
  expect(factory.invokeRawSync('CreateInstance', Buffer.alloc(8, 1), IUnknown.iid).hr).toBe(CLASS_E_NOAGGREGATION);
  const refused = factory.invokeRawSync('CreateInstance', null, IClassFactory.iid);
  expect({ hr: refused.hr, value: refused.value }).toEqual({ hr: E_NOINTERFACE, value: null });
  expect(server.holds).toBe(0); // the refused object died at once and let go of the server
  const made = factory.invokeRawSync('CreateInstance', null, IBackgroundCopyCallback.iid);
  expect(made.hr).toBe(0);
  expect(server.holds).toBe(1);
  expect(server.state).toBe('serving');
  ComPtr.borrow(made.value as bigint, IUnknown, runtime).invokeRawSync('Release');
  expect(await server.stopped).toBe('released');
  expect(registered.size).toBe(0);
  expect(server.activations).toBe(2);
  expect(factory.invokeRawSync('CreateInstance', null, IUnknown.iid).hr).toBe(CO_E_SERVER_STOPPING);
});

test('LockServer(TRUE) holds the server until LockServer(FALSE); a new activation while lingering keeps it', async () => {
  const { server, factory } = start({ lingerMs: 200 });
  factory.invokeRawSync('LockServer', true);
  const made = factory.invokeRawSync('CreateInstance', null, IUnknown.iid);
  ComPtr.borrow(made.value as bigint, IUnknown, runtime).invokeRawSync('Release');
  expect(server.holds).toBe(1);
  factory.invokeRawSync('LockServer', false);
  expect(server.holds).toBe(0);
  const again = factory.invokeRawSync('CreateInstance', null, IUnknown.iid); // within the linger
  expect(again.hr).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(server.state).toBe('serving');
  ComPtr.borrow(again.value as bigint, IUnknown, runtime).invokeRawSync('Release');
  expect(await server.stopped).toBe('released');
});

test('a server nobody activates stops after idleTimeoutMs', async () => {
  const { server } = start({ idleTimeoutMs: 20 });
  expect(await server.stopped).toBe('idle');
});

test('a client that keeps its object but never calls does not keep the server for ever; work under way (busy) does', async () => {
  const { server, factory, registered } = start({ idleTimeoutMs: 100 });
  const made = factory.invokeRawSync('CreateInstance', null, IUnknown.iid);
  expect(made.hr).toBe(0);
  const work = server.busy();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(server.state).toBe('serving'); // the work holds it past idleTimeoutMs
  work.release();
  expect(await server.stopped).toBe('idle'); // the object is still held by its client
  expect(registered.size).toBe(0);
  ComPtr.borrow(made.value as bigint, IUnknown, runtime).invokeRawSync('Release');
});
