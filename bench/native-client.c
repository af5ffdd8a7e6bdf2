/*
 * bench:wine fixture (dev only, never shipped): a native BITS client that times the same calls as
 * the library's job.getState() and job.status(), so scripts/bench-wine-inner.ts can print ratios.
 * Build: x86_64-w64-mingw32-gcc -O2 -o native-client.exe native-client.c -lole32 -luuid
 * Usage: native-client.exe <job-guid> <n>   -> prints "getState_ns=<mean> status_ns=<mean>"
 * The status snapshot follows the library's rule: GetState, GetProgress, and GetError only in
 * ERROR / TRANSIENT_ERROR.
 */
#define COBJMACROS
#include <windows.h>
#include <bits.h>
#include <stdio.h>
#include <stdlib.h>

static const CLSID CLSID_BCM = {0x4991d34b, 0x80a1, 0x4291, {0x83, 0xb6, 0x33, 0x28, 0x36, 0x6b, 0x90, 0x97}};
static const IID IID_BCM = {0x5ce34c0d, 0x0dc9, 0x4c1f, {0x89, 0x7c, 0xda, 0xa1, 0xb7, 0x8c, 0xee, 0x7c}};

static double now_ns(void) {
  static LARGE_INTEGER f;
  LARGE_INTEGER c;
  if (!f.QuadPart) QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  return (double)c.QuadPart * 1e9 / (double)f.QuadPart;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: native-client <job-guid> <n>\n"); return 2; }
  WCHAR wid[64];
  MultiByteToWideChar(CP_ACP, 0, argv[1], -1, wid, 64);
  GUID id;
  WCHAR braced[70];
  swprintf(braced, 70, L"{%ls}", wid);
  if (FAILED(CLSIDFromString(braced, &id))) { fprintf(stderr, "bad guid\n"); return 2; }
  int n = atoi(argv[2]);
  CoInitializeEx(NULL, COINIT_MULTITHREADED);
  IBackgroundCopyManager *mgr = NULL;
  HRESULT hr = CoCreateInstance(&CLSID_BCM, NULL, CLSCTX_LOCAL_SERVER, &IID_BCM, (void **)&mgr);
  if (FAILED(hr)) { fprintf(stderr, "CoCreateInstance 0x%08lx\n", hr); return 1; }
  IBackgroundCopyJob *job = NULL;
  hr = IBackgroundCopyManager_GetJob(mgr, &id, &job);
  if (FAILED(hr)) { fprintf(stderr, "GetJob 0x%08lx\n", hr); return 1; }
  BG_JOB_STATE state;
  BG_JOB_PROGRESS progress;
  IBackgroundCopyJob_GetState(job, &state); /* warm-up */
  double t0 = now_ns();
  for (int i = 0; i < n; i++) IBackgroundCopyJob_GetState(job, &state);
  double t1 = now_ns();
  for (int i = 0; i < n; i++) {
    IBackgroundCopyJob_GetState(job, &state);
    IBackgroundCopyJob_GetProgress(job, &progress);
    if (state == BG_JOB_STATE_ERROR || state == BG_JOB_STATE_TRANSIENT_ERROR) {
      IBackgroundCopyError *err = NULL;
      if (SUCCEEDED(IBackgroundCopyJob_GetError(job, &err)) && err) IBackgroundCopyError_Release(err);
    }
  }
  double t2 = now_ns();
  printf("getState_ns=%.0f status_ns=%.0f\n", (t1 - t0) / n, (t2 - t1) / n);
  IBackgroundCopyJob_Release(job);
  IBackgroundCopyManager_Release(mgr);
  CoUninitialize();
  return 0;
}
