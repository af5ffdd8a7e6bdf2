/*
 * bench:wine fixture (dev only, never shipped): a native BITS client that times the same calls as
 * the library, so scripts/bench-wine-inner.ts can print ratios. It stays running and answers one
 * command per line on stdin, so both sides are warm and their rounds interleave:
 *   getState <job-guid> <n>  -> "ns=<mean ns per GetState>"
 *   status <job-guid> <n>    -> "ns=<mean ns per snapshot>": GetState, GetProgress, and GetError only
 *                               in ERROR / TRANSIENT_ERROR (the library's rule), one after the other
 *   scale                    -> "ns=<total ns> jobs=<count>": EnumJobs, then a snapshot of every
 *                               job, serially (what a plain C client does)
 *   addFileSet <n> <url> <dir> -> "ns=<ns of the one AddFileSet> files=<n>": a new job, one
 *                               AddFileSet of n files (<url>/<i> -> <dir>\af-<i>.bin), then Cancel
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

static void snapshot(IBackgroundCopyJob *job) {
  BG_JOB_STATE state;
  BG_JOB_PROGRESS progress;
  IBackgroundCopyJob_GetState(job, &state);
  IBackgroundCopyJob_GetProgress(job, &progress);
  if (state == BG_JOB_STATE_ERROR || state == BG_JOB_STATE_TRANSIENT_ERROR) {
    IBackgroundCopyError *err = NULL;
    if (SUCCEEDED(IBackgroundCopyJob_GetError(job, &err)) && err) IBackgroundCopyError_Release(err);
  }
}

/* One AddFileSet of n files on a new job, timed alone (the names are built before, Cancel after). */
static void add_file_set(int n, const char *url, const char *dir) {
  WCHAR wurl[512], wdir[512];
  GUID id;
  IBackgroundCopyJob *job = NULL;
  MultiByteToWideChar(CP_ACP, 0, url, -1, wurl, 512);
  MultiByteToWideChar(CP_ACP, 0, dir, -1, wdir, 512);
  BG_FILE_INFO *set = calloc((size_t)n, sizeof *set);
  WCHAR *names = calloc((size_t)n * 2, 600 * sizeof(WCHAR));
  for (int i = 0; i < n; i++) {
    set[i].RemoteName = names + (size_t)i * 1200;
    set[i].LocalName = names + (size_t)i * 1200 + 600;
    swprintf(set[i].RemoteName, 600, L"%ls/%d", wurl, i);
    swprintf(set[i].LocalName, 600, L"%ls\\af-%d.bin", wdir, i);
  }
  HRESULT hr = IBackgroundCopyManager_CreateJob(mgr, L"bench:wine addFileSet native", BG_JOB_TYPE_DOWNLOAD, &id, &job);
  if (FAILED(hr)) {
    printf("error CreateJob 0x%08lx\n", hr);
  } else {
    double t0 = now_ns();
    hr = IBackgroundCopyJob_AddFileSet(job, (ULONG)n, set);
    double ns = now_ns() - t0;
    if (FAILED(hr)) printf("error AddFileSet 0x%08lx\n", hr);
    else printf("ns=%.0f files=%d\n", ns, n);
    IBackgroundCopyJob_Cancel(job);
    IBackgroundCopyJob_Release(job);
  }
  fflush(stdout);
  free(names);
  free(set);
}

int main(void) {
  char line[1200], cmd[32], guid[64], url[512], dir[512];
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
    if (!strcmp(cmd, "addFileSet")) {
      if (sscanf(line, "%31s %d %511s %511s", cmd, &n, url, dir) == 4 && n > 0) add_file_set(n, url, dir);
      else { printf("error bad command: %s", line); fflush(stdout); }
      continue;
    }
    if (!strcmp(cmd, "scale")) {
      double t0 = now_ns();
      IEnumBackgroundCopyJobs *jobs = NULL;
      int count = 0;
      hr = IBackgroundCopyManager_EnumJobs(mgr, 0, &jobs);
      if (FAILED(hr)) { printf("error EnumJobs 0x%08lx\n", hr); fflush(stdout); continue; }
      IBackgroundCopyJob *job;
      while (IEnumBackgroundCopyJobs_Next(jobs, 1, &job, NULL) == S_OK) {
        snapshot(job);
        IBackgroundCopyJob_Release(job);
        count++;
      }
      IEnumBackgroundCopyJobs_Release(jobs);
      printf("ns=%.0f jobs=%d\n", now_ns() - t0, count);
      fflush(stdout);
      continue;
    }
    IBackgroundCopyJob *job = open_job(guid);
    if (!job || n <= 0) { printf("error bad command or job: %s", line); fflush(stdout); if (job) IBackgroundCopyJob_Release(job); continue; }
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
