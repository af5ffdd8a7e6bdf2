/**
 * Wine only: a drive letter mapped to another folder, as `winecfg` maps one: the mount manager's
 * IOCTL_MOUNTMGR_DEFINE_UNIX_DRIVE writes the symlink `dosdevices/<letter>:` in the prefix, so
 * every process of the prefix (the BITS service too) sees the drive. (DefineDosDeviceW returns
 * success under Wine 8 but the letter stays unreachable; measured.) Layout: Wine's
 * include/ddk/mountmgr.h, struct mountmgr_unix_drive (32 bytes on x64 and x86).
 */
import * as koffi from 'koffi';

const IOCTL_MOUNTMGR_DEFINE_UNIX_DRIVE = 0x6dc080; // CTL_CODE('m', 32, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS)
const DRIVE_NO_ROOT_DIR = 1; // removes the letter
const DRIVE_FIXED = 3;
const FS_UNKNOWN = 1;
const HEADER_SIZE = 32;

type NativeFunction = ReturnType<ReturnType<typeof koffi.load>['func']>;
let kernel32: { CreateFileW: NativeFunction; DeviceIoControl: NativeFunction; CloseHandle: NativeFunction; GetLastError: NativeFunction } | undefined;

function api() {
  if (!kernel32) {
    const k32 = koffi.load('kernel32.dll');
    kernel32 = {
      CreateFileW: k32.func('void * __stdcall CreateFileW(str16 name, uint32_t access, uint32_t share, void *sa, uint32_t disposition, uint32_t flags, void *template)'),
      DeviceIoControl: k32.func('int __stdcall DeviceIoControl(void *h, uint32_t code, void *inBuf, uint32_t inSize, void *outBuf, uint32_t outSize, _Out_ uint32_t *returned, void *overlapped)'),
      CloseHandle: k32.func('int __stdcall CloseHandle(void *h)'),
      GetLastError: k32.func('uint32_t __stdcall GetLastError()'),
    };
  }
  return kernel32;
}

function mountmgr(letter: string, unixPath: string | null): void {
  const k = api();
  const mountPoint = unixPath === null ? Buffer.alloc(0) : Buffer.from(`${unixPath}\0`, 'utf8');
  const request = Buffer.alloc(HEADER_SIZE + mountPoint.length);
  request.writeUInt32LE(request.length, 0); // size
  request.writeUInt32LE(unixPath === null ? DRIVE_NO_ROOT_DIR : DRIVE_FIXED, 4); // type
  request.writeUInt32LE(FS_UNKNOWN, 8); // fs_type
  request.writeUInt16LE(letter.toLowerCase().charCodeAt(0), 24); // letter
  request.writeUInt16LE(unixPath === null ? 0 : HEADER_SIZE, 26); // mount_point_offset
  mountPoint.copy(request, HEADER_SIZE);
  const handle = k.CreateFileW('\\\\.\\MountPointManager', 0xc0000000, 3, null, 3 /* OPEN_EXISTING */, 0, null);
  try {
    if (!k.DeviceIoControl(handle, IOCTL_MOUNTMGR_DEFINE_UNIX_DRIVE, request, request.length, null, 0, [0], null)) {
      throw new Error(`IOCTL_MOUNTMGR_DEFINE_UNIX_DRIVE ${letter}: failed with Win32 error ${k.GetLastError()}`);
    }
  } finally {
    k.CloseHandle(handle);
  }
}

/** Maps `letter`: to `folder`, a path on Z: (the Unix root), e.g. Z:\tmp\do-vol-x → /tmp/do-vol-x. */
export function mapWineDrive(letter: string, folder: string): void {
  if (!/^[zZ]:\\/.test(folder)) throw new Error(`mapWineDrive needs a folder on Z: (got ${folder})`);
  mountmgr(letter, folder.slice(2).replace(/\\/g, '/'));
}

export function unmapWineDrive(letter: string): void {
  mountmgr(letter, null);
}
