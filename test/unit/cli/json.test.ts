/**
 * The --json documents: exact key sets and types (docs/cli.md is their reference; adding a field
 * means updating both). 64-bit counts are decimal strings, HRESULTs unsigned numbers plus hex.
 */
import { BackgroundCopyManager } from '../../../src/api';
import { JobState } from '../../../src/bits';
import { cli, fakeFixture, json, type FakeFixture } from './helpers';

type Kind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' | 'decimal' | 'hex';
type Shape = Readonly<Record<string, Kind | readonly Kind[]>>;

function kindOf(v: unknown, k: Kind): boolean {
  switch (k) {
    case 'null': return v === null;
    case 'array': return Array.isArray(v);
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'decimal': return typeof v === 'string' && /^\d+$/.test(v);
    case 'hex': return typeof v === 'string' && /^0x[0-9A-F]{8}$/.test(v);
    default: return typeof v === k;
  }
}

function expectShape(value: unknown, shape: Shape, where = 'document'): Record<string, unknown> {
  expect(kindOf(value, 'object')).toBe(true);
  const o = value as Record<string, unknown>;
  expect(Object.keys(o).sort()).toEqual(Object.keys(shape).sort());
  for (const [key, kinds] of Object.entries(shape)) {
    const list = (Array.isArray(kinds) ? kinds : [kinds]) as Kind[];
    if (!list.some((k) => kindOf(o[key], k))) throw new Error(`${where}.${key} = ${JSON.stringify(o[key])} is not ${list.join(' | ')}`);
  }
  return o;
}

const ENVELOPE: Shape = { schemaVersion: 'number', ok: 'boolean', command: 'string' };
const FILE_PROGRESS: Shape = { bytesTotal: ['decimal', 'null'], bytesTransferred: 'decimal', completed: 'boolean' };
const FILE: Shape = { remoteUrl: ['string', 'null'], localPath: ['string', 'null'], progress: ['object', 'null'] };
const JOB_ERROR: Shape = {
  hresult: 'number', hex: 'hex', code: 'string', message: 'string', context: ['number', 'null'], contextName: ['string', 'null'],
  description: ['string', 'null'], contextDescription: ['string', 'null'], protocol: ['string', 'null'], file: ['object', 'null'],
};
const ERROR: Shape = {
  name: 'string', code: ['string', 'null'], message: 'string', exitCode: 'number', hresult: ['number', 'null'], hex: ['hex', 'null'],
  jobId: ['string', 'null'], state: ['string', 'null'], jobError: ['object', 'null'],
};
const JOB: Shape = {
  id: 'string', displayName: ['string', 'null'], state: 'string', stateCode: 'number', bytesTransferred: 'decimal', bytesTotal: ['decimal', 'null'],
  filesTransferred: 'number', filesTotal: 'number', priority: ['string', 'null'], owner: ['string', 'null'], times: ['object', 'null'],
  error: ['object', 'null'], files: 'array',
};
const TIMES: Shape = { created: ['string', 'null'], modified: ['string', 'null'], transferCompleted: ['string', 'null'] };
const FINISH: Shape = { hresult: 'number', hex: 'hex', code: 'string', partial: 'boolean', unableToDeleteFiles: 'boolean' };

function expectJob(value: unknown): Record<string, unknown> {
  const job = expectShape(value, JOB, 'job');
  if (job.times !== null) expectShape(job.times, TIMES, 'job.times');
  for (const f of job.files as unknown[]) {
    const file = expectShape(f, FILE, 'file');
    if (file.progress !== null) expectShape(file.progress, FILE_PROGRESS, 'file.progress');
  }
  if (job.error !== null) expectJobError(job.error);
  return job;
}

function expectJobError(value: unknown): Record<string, unknown> {
  const e = expectShape(value, JOB_ERROR, 'jobError');
  if (e.file !== null) expectShape(e.file, FILE, 'jobError.file');
  return e;
}

function expectErrorDoc(doc: Record<string, unknown>, command: string, exitCode: number): Record<string, unknown> {
  expectShape(doc, { ...ENVELOPE, error: 'object' });
  expect(doc).toMatchObject({ schemaVersion: 1, ok: false, command });
  const e = expectShape(doc.error, ERROR, 'error');
  expect(e.exitCode).toBe(exitCode);
  if (e.jobError !== null) expectJobError(e.jobError);
  return e;
}

const OK = 'http://fake.test/ok.bin';
const MISSING = 'http://fake.test/missing';
let f: FakeFixture;
beforeEach(() => {
  f = fakeFixture({ script: { [OK]: { kind: 'succeed', bytes: 5000, durationMs: 20 }, [MISSING]: { kind: 'fail', hresult: 0x80190194 } } });
});
afterEach(async () => {
  await f.done();
});

async function transferredJob(): Promise<string> {
  const m = await BackgroundCopyManager.connect({ service: f.fake });
  const job = await m.createJob('json job');
  await job.addFile(OK, f.file('j.bin'));
  await job.resume();
  const id = job.id;
  job.dispose();
  m.dispose();
  const deadline = Date.now() + 5000;
  while (f.fake.jobs()[0]?.state !== JobState.Transferred && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return id;
}

describe('--json documents', () => {
  test('download (success)', async () => {
    const doc = json(await cli(['download', OK, f.file('d.bin'), '--bits', '--json'], { connect: f.connect }));
    expectShape(doc, {
      ...ENVELOPE, jobId: 'string', url: 'string', localPath: 'string', files: 'array', settings: 'array', service: 'string', state: 'string', bytesTransferred: 'decimal',
      bytesTotal: ['decimal', 'null'], elapsedMs: 'number', completion: ['object', 'null'],
    });
    expect(doc).toMatchObject({ files: [{ url: OK, localPath: f.file('d.bin') }], settings: [] });
    expect(doc).toMatchObject({ ok: true, command: 'download', service: 'bits', state: 'ACKNOWLEDGED', bytesTransferred: '5000', bytesTotal: '5000' });
    expect(expectShape(doc.completion, FINISH, 'completion')).toMatchObject({ hresult: 0, hex: '0x00000000', code: 'S_OK', partial: false });
  });

  test('download --no-complete: completion is null, state TRANSFERRED', async () => {
    const doc = json(await cli(['download', OK, f.file('n.bin'), '--bits', '--json', '--no-complete'], { connect: f.connect }));
    expect(doc).toMatchObject({ ok: true, state: 'TRANSFERRED', completion: null });
    await cli(['cancel', String(doc.jobId), '--bits'], { connect: f.connect });
  });

  test('download (failure): the error carries the full JobError', async () => {
    const r = await cli(['download', MISSING, f.file('m.bin'), '--bits', '--json'], { connect: f.connect });
    expect(r.code).toBe(1);
    const e = expectErrorDoc(json(r), 'download', 1);
    expect(e).toMatchObject({ name: 'JobFailedError', code: 'ERR_JOB_FAILED', state: 'ERROR', hresult: 0x80190194, hex: '0x80190194' });
    expect(e.jobError).toMatchObject({ code: 'BG_E_HTTP_ERROR_404', hex: '0x80190194', hresult: 2149122452, context: 5, contextName: 'REMOTE_FILE', protocol: 'http' });
    expect((e.jobError as { file: unknown }).file).toMatchObject({ remoteUrl: MISSING, localPath: f.file('m.bin') });
  });

  test('list', async () => {
    const id = await transferredJob();
    const doc = json(await cli(['list', '--bits', '--json'], { connect: f.connect }));
    expectShape(doc, { ...ENVELOPE, service: 'string', allUsers: 'boolean', name: ['string', 'null'], jobs: 'array' });
    expect(doc).toMatchObject({ ok: true, command: 'list', service: 'bits', allUsers: false, name: null });
    const [job] = doc.jobs as unknown[];
    expect(expectJob(job)).toMatchObject({ id, state: 'TRANSFERRED', stateCode: 6, bytesTransferred: '5000', bytesTotal: '5000', priority: 'normal', displayName: 'json job' });
    await cli(['cancel', id, '--bits'], { connect: f.connect });
  });

  test('show (with a JobError)', async () => {
    const m = await BackgroundCopyManager.connect({ service: f.fake });
    const job = await m.createJob('failing');
    await job.addFile(MISSING, f.file('s.bin'));
    await job.resume();
    const id = job.id;
    job.dispose();
    m.dispose();
    while (f.fake.jobs()[0]?.state !== JobState.Error) await new Promise((r) => setTimeout(r, 5));
    const doc = json(await cli(['show', id, '--bits', '--json'], { connect: f.connect }));
    expectShape(doc, { ...ENVELOPE, service: 'string', job: 'object', settings: 'object' });
    const j = expectJob(doc.job);
    expect(j).toMatchObject({ state: 'ERROR', error: { code: 'BG_E_HTTP_ERROR_404', contextName: 'REMOTE_FILE' } });
    expect(j.times).toMatchObject({ created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const n = (kind: Kind): Kind[] => [kind, 'null'];
    expectShape(doc.settings, {
      type: n('string'), description: n('string'), errorCount: n('number'), retryDelaySeconds: n('number'), noProgressTimeoutSeconds: n('number'),
      maxDownloadTimeSeconds: n('number'), proxy: n('object'), transferPolicy: n('string'), costFlags: n('object'), dynamicContent: n('boolean'),
      highPerformance: n('boolean'), securityFlags: n('object'), clientCertificate: n('object'), httpMethod: n('string'), customHeaders: n('object'),
      aclFlags: n('object'), peerCaching: n('object'), notifyFlags: n('object'), notifyCmdLine: n('object'), ownerIntegrityLevel: n('number'), ownerElevated: n('boolean'), helperToken: n('object'),
    }, 'settings');
    await cli(['cancel', id, '--bits'], { connect: f.connect });
  });

  test('resume / cancel / complete', async () => {
    const id = await transferredJob();
    const CONTROL: Shape = { ...ENVELOPE, service: 'string', jobId: 'string', action: 'string', result: ['object', 'null'] };
    const done = json(await cli(['complete', id, '--bits', '--json'], { connect: f.connect }));
    expectShape(done, CONTROL);
    expect(done).toMatchObject({ ok: true, command: 'complete', action: 'complete', jobId: id });
    expectShape(done.result, FINISH, 'result');
    const id2 = await transferredJob();
    const resumed = json(await cli(['resume', id2, '--bits', '--json'], { connect: f.connect }));
    expect(expectShape(resumed, CONTROL)).toMatchObject({ action: 'resume', result: null });
    const cancelled = json(await cli(['cancel', id2, '--bits', '--json'], { connect: f.connect }));
    expect(expectShape(cancelled.result, FINISH)).toMatchObject({ code: 'S_OK' });
  });

  test('complete with BG_S_PARTIAL_COMPLETE: ok false, result and error, exit 1', async () => {
    const m = await BackgroundCopyManager.connect({ service: f.fake });
    const job = await m.createJob('partial');
    await job.addFile(MISSING, f.file('p.bin'));
    await job.resume();
    const id = job.id;
    job.dispose();
    m.dispose();
    while (f.fake.jobs()[0]?.state !== JobState.Error) await new Promise((r) => setTimeout(r, 5));
    const r = await cli(['complete', id, '--bits', '--json'], { connect: f.connect });
    expect(r.code).toBe(1);
    const doc = expectShape(json(r), { ...ENVELOPE, service: 'string', jobId: 'string', action: 'string', result: 'object', error: 'object' });
    expect(doc).toMatchObject({ ok: false, result: { code: 'BG_S_PARTIAL_COMPLETE', partial: true, hex: '0x00200017' } });
    expect(expectShape(doc.error, ERROR)).toMatchObject({ name: 'IncompleteDownloadError', code: 'ERR_INCOMPLETE_DOWNLOAD', exitCode: 1, jobId: id });
  });

  test('watch: NDJSON progress lines, then one end line', async () => {
    const id = await transferredJob();
    const r = await cli(['watch', id, '--bits', '--json'], { connect: f.connect });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const EVENT: Shape = {
      schemaVersion: 'number', command: 'string', event: 'string', jobId: 'string', state: 'string', bytesTransferred: 'decimal',
      bytesTotal: ['decimal', 'null'], error: ['object', 'null'],
    };
    for (const line of lines.slice(0, -1)) expect(expectShape(line, EVENT)).toMatchObject({ event: 'progress', command: 'watch' });
    expect(expectShape(lines[lines.length - 1], { ...EVENT, ok: 'boolean' })).toMatchObject({ event: 'end', ok: true, state: 'TRANSFERRED' });
    await cli(['cancel', id, '--bits'], { connect: f.connect });
  });

  test('watch of a failing job: the end line has ok false and the failure', async () => {
    const m = await BackgroundCopyManager.connect({ service: f.fake });
    const job = await m.createJob('w');
    await job.addFile(MISSING, f.file('w.bin'));
    await job.resume();
    const id = job.id;
    job.dispose();
    m.dispose();
    const r = await cli(['watch', id, '--bits', '--json'], { connect: f.connect });
    expect(r.code).toBe(1);
    const end = JSON.parse(r.stdout.trimEnd().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(end).toMatchObject({ event: 'end', ok: false, state: 'ERROR', error: { code: 'BG_E_HTTP_ERROR_404' } });
    expect(expectShape(end.failure, ERROR)).toMatchObject({ name: 'JobFailedError', exitCode: 1 });
    await cli(['cancel', id, '--bits'], { connect: f.connect });
  });

  test('explain', async () => {
    expectShape(json(await cli(['explain', '0x80d03002', '--json'])), {
      ...ENVELOPE, input: 'string', hresult: 'number', hex: 'hex', signed: 'number', code: 'string', message: 'string', family: 'string',
      facility: 'number', facilityName: 'string', isFailure: 'boolean', isTransient: 'boolean', known: 'boolean', errorClass: 'string', exitCode: 'number', readAs: ['string', 'null'],
    });
  });

  test('doctor', async () => {
    const doc = json(await cli(['doctor', '--json'], { connect: f.connect }));
    expectShape(doc, {
      ...ENVELOPE, platform: 'string', arch: 'string', osRelease: 'string', node: 'string', wine: ['string', 'null'], koffi: 'object',
      apartment: ['string', 'null'], services: 'object', notificationServers: ['object', 'null'], verdict: 'string',
    });
    expectShape(doc.koffi, { ok: 'boolean', version: ['string', 'null'], error: ['string', 'null'] });
    const services = expectShape(doc.services, { 'delivery-optimization': 'object', bits: 'object' });
    for (const s of Object.values(services)) {
      expectShape(s, { ok: 'boolean', jobs: ['number', 'null'], error: ['object', 'null'], diagnosis: ['string', 'null'], capabilities: ['object', 'null'] });
    }
  });

  test('usage errors', async () => {
    const r = await cli(['download', 'http://x/y', '--json']);
    expectErrorDoc(json(r), 'download', 2);
  });
});
