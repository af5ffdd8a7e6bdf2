/**
 * DO client certificates (DODownloadProperty_SecurityContext, issue 22) through `setClientCertificate`
 * on the fake's 'ido' flavour: the certificate is found in the (fake) store by thumbprint or subject,
 * and the service receives its serialized bytes as a VT_ARRAY|VT_UI1 SAFEARRAY (the fake parses them);
 * bad input and a certificate or store that is not there are typed errors before any SetProperty;
 * bytes that are not a serialized certificate get DO's own answer (CRYPT_E_FILE_ERROR).
 */
import { CertificateNotFoundError, CertStoreLocation, DODownloadProperty as P, DOManager, HResultError } from '../../../src';
import { createFakeService, fakeSerializedCertificate, type FakeService } from '../../../src/testing';
import type { ServiceProvider } from '../../../src/bits/service';

const URL = 'https://ido.test/secure.bin';
const CLIENT = { storeName: 'MY', subjectName: 'CN=client.example, O=Example', sha1Hash: '8f0c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b' };
const MACHINE = { storeName: 'MY', location: CertStoreLocation.LocalMachine, subjectName: 'CN=machine.example', sha1Hash: '00112233445566778899aabbccddeeff00112233' };

async function withDownload(fake: FakeService | ServiceProvider, fn: (d: Awaited<ReturnType<DOManager['createDownload']>>) => Promise<void>): Promise<void> {
  const manager = await DOManager.connect({ service: fake });
  const download = await manager.createDownload({ uri: URL, localPath: '/tmp/ido-cert.bin' });
  try {
    await fn(download);
  } finally {
    await download.abort().catch(() => undefined);
    await download.close();
    await manager.close();
  }
}

const setPropertyCalls = (fake: FakeService) => fake.stats().calls.get('IDODownload::SetProperty') ?? 0;

test('by thumbprint (hex with colons) and by subject: the service receives that certificate', async () => {
  const fake = createFakeService({ flavour: 'ido', certificates: [CLIENT, MACHINE] });
  await withDownload(fake, async (download) => {
    await download.setClientCertificate({ sha1Hash: CLIENT.sha1Hash.match(/../g)?.join(':') });
    expect(fake.idoDownloads()[0].clientCertificate).toEqual({ sha1Hash: CLIENT.sha1Hash, subjectName: CLIENT.subjectName });
    await download.setClientCertificate({ subjectName: 'machine.example', location: CertStoreLocation.LocalMachine });
    expect(fake.idoDownloads()[0].clientCertificate).toEqual({ sha1Hash: MACHINE.sha1Hash, subjectName: MACHINE.subjectName });
    await download.setClientCertificate({ sha1Hash: Buffer.from(CLIENT.sha1Hash, 'hex'), storeName: 'my' });
    expect(fake.idoDownloads()[0].clientCertificate?.sha1Hash).toBe(CLIENT.sha1Hash);
  });
});

test('not there: CertificateNotFoundError (certificate, or store), and nothing reaches SetProperty', async () => {
  const fake = createFakeService({ flavour: 'ido', certificates: [CLIENT] });
  await withDownload(fake, async (download) => {
    const before = setPropertyCalls(fake);
    const missing = await download.setClientCertificate({ sha1Hash: 'ff'.repeat(20) }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CertificateNotFoundError);
    expect(missing).toMatchObject({ code: 'ERR_CERTIFICATE_NOT_FOUND', storeName: 'MY', location: 'current-user', lookedFor: `SHA-1 ${'ff'.repeat(20)}` });
    // The machine store has no CN=client.example: location matters.
    await expect(download.setClientCertificate({ subjectName: 'client.example', location: CertStoreLocation.LocalMachine })).rejects.toMatchObject({ code: 'ERR_CERTIFICATE_NOT_FOUND' });
    await expect(download.setClientCertificate({ subjectName: 'x', storeName: 'NoSuchStore' })).rejects.toMatchObject({ code: 'ERR_CERTIFICATE_STORE_NOT_FOUND' });
    expect(setPropertyCalls(fake)).toBe(before);
    expect(fake.idoDownloads()[0].clientCertificate).toBeNull();
  });
});

test.each([
  [{ sha1Hash: 'not-a-hash' }, TypeError],
  [{ sha1Hash: 'ab'.repeat(19) }, TypeError],
  [{ sha1Hash: new Uint8Array(19) }, TypeError],
  [{ sha1Hash: 42 }, TypeError],
  [{}, TypeError],
  [{ sha1Hash: CLIENT.sha1Hash, subjectName: 'CN=x' }, TypeError],
  [{ subjectName: '' }, TypeError],
  [{ subjectName: 'CN=x', location: 99 }, RangeError],
  [{ subjectName: 'CN=x', storeName: '' }, TypeError],
  [null, TypeError],
] as const)('bad input %p: %p before any native call', async (certificate, type) => {
  const fake = createFakeService({ flavour: 'ido', certificates: [CLIENT] });
  await withDownload(fake, async (download) => {
    const before = setPropertyCalls(fake);
    const error = await download.setClientCertificate(certificate as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(setPropertyCalls(fake)).toBe(before);
  });
});

test('setProperty(SecurityContext) points to setClientCertificate', async () => {
  const fake = createFakeService({ flavour: 'ido' });
  await withDownload(fake, async (download) => {
    await expect(download.setProperty(P.SecurityContext as never, new Uint8Array(4) as never)).rejects.toThrow(/setClientCertificate/);
  });
});

test('bytes that are not a serialized certificate: the service\'s CRYPT_E_FILE_ERROR', async () => {
  const fake = createFakeService({ flavour: 'ido' });
  const junk: ServiceProvider = {
    kind: fake.kind, displayName: fake.displayName, clsid: fake.clsid, runtime: fake.runtime, posixPaths: true,
    certificateStore: { serialize: () => ({ found: true, bytes: Buffer.from('not a certificate') }) },
  };
  await withDownload(junk, async (download) => {
    const error = await download.setClientCertificate({ subjectName: 'anything' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HResultError);
    expect(error).toMatchObject({ code: 'CRYPT_E_FILE_ERROR', hresult: 0x80092003 });
  });
  expect(fakeSerializedCertificate(CLIENT).includes(Buffer.from(CLIENT.sha1Hash, 'hex'))).toBe(true);
});
