/**
 * The crypt32 lookup behind DODownload.setClientCertificate (src/certificates/crypt32.ts) against
 * Wine's crypt32, on every bed: a certificate added to the current user's MY store is found by its
 * SHA-1 thumbprint and by its subject, and serialized (CertSerializeCertificateStoreElement: the
 * encoded certificate is inside); a thumbprint that is not there, and a store that does not exist,
 * are reported as such. The certificate is a throwaway self-signed one (its private key was never
 * kept); it is removed again at the end. Delivery Optimization itself is absent under Wine.
 */
import * as koffi from 'koffi';
import { createHash } from 'crypto';
import { windowsCertificateStore } from '../../src/certificates/crypt32';
import { SystemStoreLocation } from '../../src/certificates/store';
import { onWine } from './helpers';

/** CN=dopt-wine-test-client, self-signed P-256, made with openssl for this test; no key exists. */
const CERT = Buffer.from('MIIBlzCCAT2gAwIBAgIUaHjeEniv9JZzIj4GpNIgXkgeDw4wCgYIKoZIzj0EAwIwIDEeMBwGA1UEAwwVZG9wdC13aW5lLXRlc3QtY2xpZW50MCAXDTI2MTIwNjE4MTQwOVoYDzIxMjYxMTEyMTgxNDA5WjAgMR4wHAYDVQQDDBVkb3B0LXdpbmUtdGVzdC1jbGllbnQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARysuzoGNI0OMV9whjYvHnCyh7K+zOkF5lFyoDLzhpLtRLFI9tTB/WNimekUQyrUmbFouHPlFqCRDx+tufM0ufro1MwUTAdBgNVHQ4EFgQUfOpqnm7Q/uufS4tJskvj8FWv7SowHwYDVR0jBBgwFoAUfOpqnm7Q/uufS4tJskvj8FWv7SowDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEArSk3sBIomAjfeDytNskauLJcrRStbBjpFqVKQVEY36UCIDvzf5hBi9bydzeoYVgm3oyvqBlB4nJ1PvzT4oFJ0x3a', 'base64');
const SHA1 = createHash('sha1').update(CERT).digest();

const run = process.platform === 'win32' ? test : test.skip;
const cc = process.arch === 'ia32' ? '__stdcall ' : '';

let blobType: unknown;

/** Test-only crypt32 calls that change the store (the library only reads it). */
function storeEditor() {
  const crypt32 = koffi.load('crypt32.dll');
  const open = crypt32.func(`void * ${cc}CertOpenStore(uintptr_t provider, uint32_t encoding, void *prov, uint32_t flags, const char16_t *para)`);
  const add = crypt32.func(`int ${cc}CertAddEncodedCertificateToStore(void *store, uint32_t encoding, const uint8_t *data, uint32_t size, uint32_t disposition, void *added)`);
  blobType ??= koffi.struct('DOPT_TEST_HASH_BLOB', { cbData: 'uint32_t', pbData: 'uint8_t *' });
  const find = crypt32.func(`void * ${cc}CertFindCertificateInStore(void *store, uint32_t encoding, uint32_t flags, uint32_t type, const DOPT_TEST_HASH_BLOB *blob, void *previous)`);
  const del = crypt32.func(`int ${cc}CertDeleteCertificateFromStore(void *cert)`);
  const close = crypt32.func(`int ${cc}CertCloseStore(void *store, uint32_t flags)`);
  // Each change through its own handle, closed at once: the store is saved when its handle closes.
  const withStore = (fn: (store: unknown) => void) => {
    const store = open(10, 0, null, SystemStoreLocation.CurrentUser << 16, 'MY');
    expect(store).not.toBeNull();
    try { fn(store); } finally { close(store, 0); }
  };
  return {
    add: () => withStore((store) => expect(add(store, 0x10001, CERT, CERT.length, 3 /* CERT_STORE_ADD_REPLACE_EXISTING */, null)).toBeTruthy()),
    /** Deletes every copy (earlier runs that were stopped may have left one each); returns how many. */
    remove: (): number => {
      let removed = 0;
      withStore((store) => {
        for (let cert = find(store, 0x10001, 0, 0x10000 /* CERT_FIND_SHA1_HASH */, { cbData: SHA1.length, pbData: SHA1 }, null); cert && removed < 20;
          cert = find(store, 0x10001, 0, 0x10000, { cbData: SHA1.length, pbData: SHA1 }, null)) {
          expect(del(cert)).toBeTruthy(); // frees the context too
          removed++;
        }
      });
      return removed;
    },
  };
}

beforeAll(() => { if (process.platform === 'win32') storeEditor().add(); });
// Cleanup only: Wine 8 shows the certificate again to the next handle after a delete that succeeded
// (measured: every new handle finds one copy), so its absence afterwards is not asserted.
afterAll(() => { if (process.platform === 'win32') expect(storeEditor().remove()).toBeGreaterThanOrEqual(1); });

run(`${onWine ? 'Wine' : 'Windows'}: found by thumbprint and by subject, serialized with the encoded certificate inside`, () => {
  for (const query of [{ subjectName: 'dopt-wine-test-client' }, { sha1Hash: SHA1 }]) {
    const result = windowsCertificateStore.serialize({ location: SystemStoreLocation.CurrentUser, storeName: 'MY', ...query });
    expect({ by: Object.keys(query)[0], result: result.found ? 'found' : result }).toEqual({ by: Object.keys(query)[0], result: 'found' });
    const bytes = (result as { bytes: Buffer }).bytes;
    expect(bytes.length).toBeGreaterThan(CERT.length);
    expect(bytes.includes(CERT)).toBe(true);
  }
});

run('a thumbprint that is not there, a subject that is not there: certificate-not-found', () => {
  expect(windowsCertificateStore.serialize({ location: SystemStoreLocation.CurrentUser, storeName: 'MY', sha1Hash: Buffer.alloc(20, 0xee) }))
    .toEqual({ found: false, reason: 'certificate-not-found' });
  expect(windowsCertificateStore.serialize({ location: SystemStoreLocation.CurrentUser, storeName: 'MY', subjectName: 'no-such-subject-7f3a' }))
    .toEqual({ found: false, reason: 'certificate-not-found' });
});

run('a store that does not exist (opened read-only, existing only): store-not-found', () => {
  const result = windowsCertificateStore.serialize({ location: SystemStoreLocation.CurrentUser, storeName: 'DoptNoSuchStore7f3a', subjectName: 'x' });
  expect(result).toMatchObject({ found: false, reason: 'store-not-found' });
});
