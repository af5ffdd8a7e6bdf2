/*
 * bench:wine fixture (dev only, never shipped): a native BITS client that times the same calls as
 * the library, so scripts/bench-wine-inner.ts can print ratios. It stays running and answers one
 * command per line on stdin, so both sides are warm and their rounds interleave:
 *   getState <job-guid> <n>  -> "ns=<mean ns per GetState>"
 *   status <job-guid> <n>    -> "ns=<mean ns per snapshot>": GetState, GetProgress, and GetError only
 *                               in ERROR / TRANSIENT_ERROR (the library's rule), one after the other
 *   scale [trace]            -> "ns=<total ns> jobs=<count>": EnumJobs, then a snapshot of every
 *                               job, serially (what a plain C client does)
 *   pscale <threads> [trace] -> "ns=<total ns> jobs=<count> threads=<t>": EnumJobs, then <threads>
 *                               threads (MTA) each snapshot their share of the jobs: the best a native
 *                               program can do when the service answers calls in parallel (a Release
 *                               with no other call in flight, the library's rule under Wine)
 *                  [trace]   a file that gets one line per call: "<thread> <call> <start ns> <end ns>"
 *                               (QueryPerformanceCounter), to see whether calls overlap in the service
 *   files <job-guid> <n>     -> "ns=<mean ns per listing> files=<count>": EnumFiles, Next in batches of
 *                               16 (the library's batch), Release of every file
 *   addfiles <count> <url-prefix> <folder>
 *                            -> "ns=<ns of AddFileSet> files=<count>": a new job, one AddFileSet of
 *                               <count> files (<url-prefix><i> to <folder>\f<i>.bin), then Cancel
 *   quit
 * Build: x86_64-w64-mingw32-gcc -O2 -o native-client.exe native-client.c -lole32 -luuid
 */
#define COBJMACROS
#include <windows.h>
#include <bits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const CLSID CLSID_BCM = {0x4991d34b, 0x80a1, 0x4291, {0x83, 0xb6, 0x33, 0x28, 0x36, 0x6b, 0x90, 0x97}};
static const IID IID_BCM = {0x5ce34c0d, 0x0dc9, 0x4c1f, {0x89, 0x7c, 0xda, 0xa1, 0xb7, 0x8c, 0xee, 0x7c}};

static double now_ns(void) {
  static LARGE_INTEGER f;
  LARGE_INTEGER c;
  if (!f.QuadPart) QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  return (double)c.QuadPart * 1e9 / (double)f.QuadPart;
}

static IBackgroundCopyManager *mgr;

static IBackgroundCopyJob *open_job(const char *guid) {
  WCHAR wid[64], braced[70];
  GUID id;
  IBackgroundCopyJob *job = NULL;
  MultiByteToWideChar(CP_ACP, 0, guid, -1, wid, 64);
  swprintf(braced, 70, L"{%ls}", wid);
  if (FAILED(CLSIDFromString(braced, &id))) return NULL;
  if (FAILED(IBackgroundCopyManager_GetJob(mgr, &id, &job))) return NULL;
  return job;
}

/* A per-call trace: each thread writes its own rows (no lock), printed after the run. */
typedef struct { double start, end; int call; } TraceRow;
typedef struct { TraceRow *rows; int n, cap; } Trace;

static void trace_add(Trace *t, int call, double start, double end) {
  if (!t || t->n >= t->cap) return;
  t->rows[t->n].call = call;
  t->rows[t->n].start = start;
  t->rows[t->n].end = end;
  t->n++;
}

/*
 * The library's rule (src/com/call-queue.ts), kept here too: a Release runs with no other call in
 * flight, because Wine's combase crashes when proxies are released while other calls run (seen
 * here as well: a 32-bit page fault in `pscale 4` without this lock). Calls share the lock.
 */
static SRWLOCK release_lock = SRWLOCK_INIT;

static const char *CALL_NAMES[] = {"GetState", "GetProgress", "GetError", "Release"};

static void snapshot_traced(IBackgroundCopyJob *job, Trace *t) {
  BG_JOB_STATE state;
  BG_JOB_PROGRESS progress;
  if (t) AcquireSRWLockShared(&release_lock);
  double a = now_ns();
  IBackgroundCopyJob_GetState(job, &state);
  double b = now_ns();
  trace_add(t, 0, a, b);
  IBackgroundCopyJob_GetProgress(job, &progress);
  trace_add(t, 1, b, now_ns());
  if (state == BG_JOB_STATE_ERROR || state == BG_JOB_STATE_TRANSIENT_ERROR) {
    IBackgroundCopyError *err = NULL;
    a = now_ns();
    if (SUCCEEDED(IBackgroundCopyJob_GetError(job, &err)) && err) IBackgroundCopyError_Release(err);
    trace_add(t, 2, a, now_ns());
  }
  if (t) ReleaseSRWLockShared(&release_lock);
}

static void snapshot(IBackgroundCopyJob *job) { snapshot_traced(job, NULL); }

static void release_traced(IBackgroundCopyJob *job, Trace *t) {
  double a = now_ns();
  AcquireSRWLockExclusive(&release_lock);
  IBackgroundCopyJob_Release(job);
  ReleaseSRWLockExclusive(&release_lock);
  trace_add(t, 3, a, now_ns());
}

/* Every job of the caller, in one array (Next in batches of 64). */
static IBackgroundCopyJob **all_jobs(int *count) {
  IEnumBackgroundCopyJobs *e = NULL;
  ULONG got = 0, total = 0;
  *count = -1;
  if (FAILED(IBackgroundCopyManager_EnumJobs(mgr, 0, &e))) return NULL;
  IEnumBackgroundCopyJobs_GetCount(e, &total);
  int cap = (int)total + 64, n = 0;
  IBackgroundCopyJob **jobs = calloc(cap, sizeof *jobs);
  for (;;) {
    if (n + 64 > cap) jobs = realloc(jobs, (cap *= 2) * sizeof *jobs);
    got = 0;
    HRESULT hr = IEnumBackgroundCopyJobs_Next(e, 64, jobs + n, &got);
    n += (int)got;
    if (hr != S_OK) break;
  }
  IEnumBackgroundCopyJobs_Release(e);
  *count = n;
  return jobs;
}

typedef struct { IBackgroundCopyJob **jobs; int first, step, count; Trace trace; } Share;

static DWORD WINAPI share_thread(LPVOID p) {
  Share *s = p;
  CoInitializeEx(NULL, COINIT_MULTITHREADED);
  for (int i = s->first; i < s->count; i += s->step) {
    snapshot_traced(s->jobs[i], &s->trace);
    release_traced(s->jobs[i], &s->trace);
  }
  CoUninitialize();
  return 0;
}

static void write_trace(const char *file, Share *shares, int threads) {
  if (!file || !*file) return;
  FILE *f = fopen(file, "w");
  if (!f) return;
  for (int t = 0; t < threads; t++)
    for (int i = 0; i < shares[t].trace.n; i++)
      fprintf(f, "%d %s %.0f %.0f\n", t, CALL_NAMES[shares[t].trace.rows[i].call], shares[t].trace.rows[i].start, shares[t].trace.rows[i].end);
  fclose(f);
}

/* EnumJobs, then <threads> threads snapshot and release their share (threads = 0: this thread, serially). */
static void scale(int threads, const char *trace_file) {
  double t0 = now_ns();
  int count;
  IBackgroundCopyJob **jobs = all_jobs(&count);
  if (!jobs) { printf("error EnumJobs\n"); fflush(stdout); return; }
  int n = threads > 0 ? threads : 1;
  Share *shares = calloc(n, sizeof *shares);
  HANDLE *handles = calloc(n, sizeof *handles);
  for (int t = 0; t < n; t++) {
    shares[t].jobs = jobs;
    shares[t].first = t;
    shares[t].step = n;
    shares[t].count = count;
    shares[t].trace.cap = trace_file && *trace_file ? 4 * (count / n + 1) : 0;
    shares[t].trace.rows = shares[t].trace.cap ? malloc(shares[t].trace.cap * sizeof(TraceRow)) : NULL;
  }
  if (threads > 0) {
    for (int t = 0; t < n; t++) handles[t] = CreateThread(NULL, 0, share_thread, &shares[t], 0, NULL);
    WaitForMultipleObjects(n, handles, TRUE, INFINITE);
    for (int t = 0; t < n; t++) CloseHandle(handles[t]);
  } else {
    share_thread(&shares[0]);
  }
  double took = now_ns() - t0;
  write_trace(trace_file, shares, n);
  for (int t = 0; t < n; t++) free(shares[t].trace.rows);
  free(shares);
  free(handles);
  free(jobs);
  printf("ns=%.0f jobs=%d threads=%d\n", took, count, threads);
  fflush(stdout);
}

/* EnumFiles, Next in batches of 16, Release: n times; the mean per listing. */
static void files(IBackgroundCopyJob *job, int n) {
  int count = 0;
  double t0 = now_ns();
  for (int r = 0; r < n; r++) {
    IEnumBackgroundCopyFiles *e = NULL;
    IBackgroundCopyFile *batch[16];
    ULONG got;
    count = 0;
    if (FAILED(IBackgroundCopyJob_EnumFiles(job, &e))) { printf("error EnumFiles\n"); fflush(stdout); return; }
    for (;;) {
      got = 0;
      HRESULT hr = IEnumBackgroundCopyFiles_Next(e, 16, batch, &got);
      for (ULONG i = 0; i < got; i++) IBackgroundCopyFile_Release(batch[i]);
      count += (int)got;
      if (hr != S_OK) break;
    }
    IEnumBackgroundCopyFiles_Release(e);
  }
  printf("ns=%.0f files=%d\n", (now_ns() - t0) / n, count);
  fflush(stdout);
}

/* A new job, one AddFileSet of <count> files (timed), then Cancel. */
static void addfiles(int count, const char *prefix, const char *folder) {
  GUID id;
  IBackgroundCopyJob *job = NULL;
  if (FAILED(IBackgroundCopyManager_CreateJob(mgr, L"bench:wine native addfiles", BG_JOB_TYPE_DOWNLOAD, &id, &job))) { printf("error CreateJob\n"); fflush(stdout); return; }
  BG_FILE_INFO *set = calloc(count, sizeof *set);
  for (int i = 0; i < count; i++) {
    WCHAR buf[600];
    swprintf(buf, 600, L"%hs%d", prefix, i);
    set[i].RemoteName = _wcsdup(buf);
    swprintf(buf, 600, L"%hs\\f%d.bin", folder, i);
    set[i].LocalName = _wcsdup(buf);
  }
  double t0 = now_ns();
  HRESULT hr = IBackgroundCopyJob_AddFileSet(job, count, set);
  double took = now_ns() - t0;
  IBackgroundCopyJob_Cancel(job);
  IBackgroundCopyJob_Release(job);
  for (int i = 0; i < count; i++) { free(set[i].RemoteName); free(set[i].LocalName); }
  free(set);
  if (FAILED(hr)) printf("error AddFileSet 0x%08lx\n", hr);
  else printf("ns=%.0f files=%d\n", took, count);
  fflush(stdout);
}

int main(void) {
  char line[1400], cmd[32], guid[64], arg[600], arg2[600];
  int n;
  CoInitializeEx(NULL, COINIT_MULTITHREADED);
  HRESULT hr = CoCreateInstance(&CLSID_BCM, NULL, CLSCTX_LOCAL_SERVER, &IID_BCM, (void **)&mgr);
  if (FAILED(hr)) { printf("error CoCreateInstance 0x%08lx\n", hr); fflush(stdout); return 1; }
  printf("ready\n");
  fflush(stdout);
  while (fgets(line, sizeof line, stdin)) {
    guid[0] = 0;
    n = 0;
    if (sscanf(line, "%31s %63s %d", cmd, guid, &n) < 1) continue;
    if (!strcmp(cmd, "quit")) break;
    if (!strcmp(cmd, "scale")) {
      scale(0, guid);
      continue;
    }
    if (!strcmp(cmd, "pscale")) {
      arg[0] = 0;
      sscanf(line, "%31s %d %599s", cmd, &n, arg);
      scale(n > 0 ? n : 1, arg);
      continue;
    }
    if (!strcmp(cmd, "addfiles")) {
      if (sscanf(line, "%31s %d %599s %599s", cmd, &n, arg, arg2) != 4 || n <= 0) { printf("error bad command: %s", line); fflush(stdout); continue; }
      addfiles(n, arg, arg2);
      continue;
    }
    IBackgroundCopyJob *job = open_job(guid);
    if (!job || n <= 0) { printf("error bad command or job: %s", line); fflush(stdout); if (job) IBackgroundCopyJob_Release(job); continue; }
    if (!strcmp(cmd, "files")) {
      files(job, n);
      IBackgroundCopyJob_Release(job);
      continue;
    }
    BG_JOB_STATE state;
    IBackgroundCopyJob_GetState(job, &state); /* warm-up */
    double t0 = now_ns();
    if (!strcmp(cmd, "getState")) {
      for (int i = 0; i < n; i++) IBackgroundCopyJob_GetState(job, &state);
    } else {
      for (int i = 0; i < n; i++) snapshot(job);
    }
    printf("ns=%.0f\n", (now_ns() - t0) / n);
    fflush(stdout);
    IBackgroundCopyJob_Release(job);
  }
  IBackgroundCopyManager_Release(mgr);
  CoUninitialize();
  return 0;
}
