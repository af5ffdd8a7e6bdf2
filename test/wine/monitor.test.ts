/**
 * `monitor --bits` against the real BITS service (Wine's under `npm run test:wine`): it lists the jobs,
 * prints a line per job and one per change off a terminal (here: a job cancelled elsewhere), and Ctrl-C (the abort signal `main` sets on SIGINT) ends it
 * with exit 0 and every job as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BackgroundCopyManager, type BackgroundCopyJob } from '../../src/api';
import { JobState } from '../../src/bits';
import { run } from '../../src/cli/main';
import { JOB_PREFIX, makeTempDir } from './helpers';

test('monitor --bits: a line per job, one more when a job goes; Ctrl-C ends it with exit 0, no job touched', async () => {
  const dir = makeTempDir('do-monitor-');
  const manager = await BackgroundCopyManager.connect({ service: 'bits' });
  const jobs: BackgroundCopyJob[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const job = await manager.createJob(`${JOB_PREFIX}-monitor-${i}`);
      await job.addFile(`http://127.0.0.1:9/monitor-${i}.bin`, path.join(dir, `${i}.bin`));
      jobs.push(job);
    }
    const controller = new AbortController();
    let reads = 0;
    let stdout = '';
    let stderr = '';
    const code = await run(['monitor', '--bits', '--refresh', '100ms'], {
      signal: controller.signal,
      connect: async () => {
        const m = await BackgroundCopyManager.connect({ service: 'bits' });
        const list = m.jobs.bind(m);
        m.jobs = async (o) => {
          reads++;
          if (reads === 2) await jobs[2].cancel(); // Wine's BITS has no SetDisplayName: the change shown is a job gone
          if (reads === 3) controller.abort();
          return list(o);
        };
        return m;
      },
      stdout: { write: (s: string) => void (stdout += s) },
      stderr: { write: (s: string) => void (stderr += s) },
      canRedraw: () => false,
    });
    expect([code, stderr]).toEqual([0, expect.stringContaining('Monitor stopped')]);
    const mine = stdout.split('\n').filter((l) => jobs.some((j) => l.includes(j.id)));
    const row = (id: string, name: string) => new RegExp(`^\\S+Z {2}${id} {2}SUSPENDED {2}.* {2}0/1 {2}${name}$`);
    expect(mine.length).toBeGreaterThanOrEqual(4);
    // The first read: one line per job, in the service's order.
    jobs.forEach((j, i) => expect([i, mine.slice(0, 3).filter((l) => row(j.id, `${JOB_PREFIX}-monitor-${i}`).test(l)).length]).toEqual([i, 1]));
    // Windows drops a cancelled job from the list (GONE); Wine's BITS lists it a while as CANCELLED.
    expect(mine[3]).toMatch(new RegExp(`^\\S+Z {2}${jobs[2].id} {2}(GONE|CANCELLED {2}.*)$`));
    for (const job of jobs.slice(0, 2)) expect((await job.status()).state).toBe(JobState.Suspended);
  } finally {
    for (const job of jobs) {
      await job.cancel().catch(() => undefined);
      job.dispose();
    }
    await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
