/**
 * COM's own interfaces that services hand out or expect (objidlbase.h), in vtable order:
 * IEnumUnknown (an enumerator of IUnknown pointers) and ISequentialStream / IStream (a byte sink
 * or source a client implements).
 */
import { $ } from './abi';
import { defineInterface } from './interface';
import { IUnknown } from './iunknown';
import { pointerSize } from './koffi';

export const IEnumUnknown = defineInterface('IEnumUnknown', '00000100-0000-0000-c000-000000000046', IUnknown, {
  /** (ULONG celt, IUnknown **rgelt, ULONG *pceltFetched): rgelt is a caller Buffer of celt pointers. */
  Next: [$.u32, $.ptr, $.out.optional($.out.u32)],
  Skip: [$.u32],
  Reset: [],
  Clone: [$.out.ptr],
});

export const ISequentialStream = defineInterface('ISequentialStream', '0c733a30-2a1c-11ce-ade5-00aa0044773d', IUnknown, {
  /** (void *pv, ULONG cb, ULONG *pcbRead). */
  Read: [$.ptr, $.u32, $.out.optional($.out.u32)],
  /** (const void *pv, ULONG cb, ULONG *pcbWritten). */
  Write: [$.ptr, $.u32, $.out.optional($.out.u32)],
});

/** sizeof(STATSTG): 80 on 64-bit, 72 on 32-bit. */
const STATSTG_SIZE = () => (pointerSize() === 8 ? 80 : 72);

export const IStream = defineInterface('IStream', '0000000c-0000-0000-c000-000000000046', ISequentialStream, {
  /** (LARGE_INTEGER dlibMove, DWORD dwOrigin, ULARGE_INTEGER *plibNewPosition). */
  Seek: [$.i64, $.u32, $.out.optional($.out.u64)],
  SetSize: [$.u64],
  /** (IStream *pstm, ULARGE_INTEGER cb, ULARGE_INTEGER *pcbRead, ULARGE_INTEGER *pcbWritten). */
  CopyTo: [$.ptr, $.u64, $.out.optional($.out.u64), $.out.optional($.out.u64)],
  Commit: [$.u32],
  Revert: [],
  LockRegion: [$.u64, $.u64, $.u32],
  UnlockRegion: [$.u64, $.u64, $.u32],
  /** (STATSTG *pstatstg, DWORD grfStatFlag): the STATSTG is returned raw. */
  Stat: [$.out.struct(STATSTG_SIZE, (b) => Buffer.from(b)), $.u32],
  Clone: [$.out.ptr],
});

/** STREAM_SEEK_SET / CUR / END (dwOrigin of IStream::Seek). */
export const STREAM_SEEK_SET = 0;
export const STREAM_SEEK_CUR = 1;
export const STREAM_SEEK_END = 2;

/** IClassFactory (unknwn.h): what COM asks a local server's class object for an instance. */
export const IClassFactory = defineInterface('IClassFactory', '00000001-0000-0000-c000-000000000046', IUnknown, {
  /** (IUnknown *pUnkOuter, REFIID riid, void **ppvObject). */
  CreateInstance: [$.ptr, $.guid, $.out.ptr],
  /** (BOOL fLock). */
  LockServer: [$.bool],
});
