/**
 * The end-of-test check: every reference the client got was released, nothing was called after
 * its final Release, and every CoTaskMem block handed out was freed exactly once.
 */
import type { FakeStats } from '../counters';

/** Everything wrong in `stats`, one line each; empty when balanced. */
export function balanceProblems(stats: FakeStats, recordedProblems: readonly string[]): string[] {
  const problems: string[] = [];
  for (const o of stats.objects) {
    if (o.clientRefs > 0) {
      problems.push(
        `${o.label} [${o.iface} #${o.id}]: ${o.clientRefs} client reference(s) never released (refCount ${o.refCount}, of which the fake holds ${o.internalRefs})`,
      );
    }
    if (o.callsAfterRelease > 0) problems.push(`${o.label} [${o.iface} #${o.id}]: ${o.callsAfterRelease} call(s) after its final Release`);
  }
  const mem = stats.coTaskMem;
  if (mem.outstanding > 0) {
    problems.push(`${mem.outstanding} CoTaskMem block(s) handed to the client were never freed (allocs ${mem.allocs}, frees ${mem.frees})`);
  }
  if (mem.invalidFrees > 0) problems.push(`${mem.invalidFrees} CoTaskMemFree call(s) on a pointer not allocated by the runtime, or already freed`);
  const bstr = stats.bstr;
  if (bstr.outstanding > 0) problems.push(`${bstr.outstanding} BSTR(s) never freed (SysAllocString ${bstr.allocs}, SysFreeString ${bstr.frees})`);
  if (bstr.invalidFrees > 0) problems.push(`${bstr.invalidFrees} SysFreeString call(s) on a pointer that is not a live BSTR`);
  problems.push(...recordedProblems);
  for (const e of stats.handlerErrors) problems.push(`a fake handler threw: ${e}`);
  return problems;
}
