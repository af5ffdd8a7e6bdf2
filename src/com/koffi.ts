/**
 * koffi, loaded on first use. Importing the package must stay cheap and must not touch any native
 * code, so nothing here runs at module load.
 */
// koffi's types are those of an ES module; `resolution-mode` lets CommonJS consumers with node16
// resolution and skipLibCheck off read our declarations (TS1541 otherwise).
import type * as KoffiModule from 'koffi' with { 'resolution-mode': 'require' };

export type Koffi = typeof KoffiModule;
export type KoffiType = KoffiModule.TypeObject;

let loaded: Koffi | undefined;

export function koffi(): Koffi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!loaded) loaded = require('koffi') as Koffi;
  return loaded;
}

/** 8 on x64 and arm64, 4 on x86. */
export function pointerSize(): number {
  return koffi().sizeof('void *');
}

/** COM methods are `__stdcall` on x86; the keyword is only written where it means something. */
export function stdcall(): string {
  return pointerSize() === 4 ? '__stdcall ' : '';
}

const types = new Map<string, KoffiType>();

/**
 * A named koffi type, declared on first use. koffi's type table is process-wide while module
 * registries may not be (Jest, bundlers loading two copies): reuse a type already declared.
 */
export function lazyType(name: string, make: () => KoffiType): () => KoffiType {
  return () => {
    let t = types.get(name);
    if (!t) {
      try {
        t = koffi().type(name);
      } catch {
        t = make();
      }
      types.set(name, t);
    }
    return t;
  };
}
