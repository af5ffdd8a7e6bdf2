/**
 * IBackgroundCopyError: a snapshot of why a job is in ERROR / TRANSIENT_ERROR. The job holds its
 * current error object; the object holds the failing file (if any) so GetFile can hand it out.
 */
import { IBackgroundCopyError } from '../bits';
import type { AnsweringContext } from './context';
import { contextDescription, errorDescription } from './descriptions';
import { FakeComObject, lazyImplementation } from './fake-object';
import type { FakeFile } from './fake-file';
import {
  BG_E_PROTOCOL_NOT_AVAILABLE, E_INVALIDARG, E_NOTIMPL, ERROR_RESOURCE_LANG_NOT_FOUND, RPC_X_NULL_REF_POINTER, S_OK,
} from './hresults';
import { answer, arg, outPtr, write } from './wire';

export interface ErrorInit {
  readonly file: FakeFile | null;
  readonly context: number;
  readonly code: number;
  readonly protocol: string | null;
}

export class FakeError extends FakeComObject<AnsweringContext> {
  readonly file: FakeFile | null;
  readonly context: number;
  readonly code: number;
  readonly protocol: string | null;

  constructor(ctx: AnsweringContext, init: ErrorInit) {
    super(ctx, IBackgroundCopyError, true);
    this.file = init.file;
    this.context = init.context;
    this.code = init.code >>> 0;
    this.protocol = init.protocol;
    this.file?.hold();
    this.attach(errorImplementation());
  }

  get label(): string {
    return `error 0x${this.code.toString(16).toUpperCase()}${this.file ? ` of ${this.file.label}` : ''}`;
  }

  protected override onFinalRelease(): void {
    this.file?.drop();
  }
}

/** The `errorDescriptions` option, applied to both description methods. */
function describe(self: FakeError, language: unknown, p: unknown, text: string | null): number {
  const mode = self.ctx.options.errorDescriptions;
  if (mode === 'notimpl') return E_NOTIMPL;
  // Wine: its E_NOTIMPL leaves the [out, ref] string NULL and the proxy turns that into this code.
  if (mode === 'null-ref') return RPC_X_NULL_REF_POINTER;
  const out = outPtr(p);
  if (arg.u32(language) === 0) answer(E_INVALIDARG);
  if (text === null) {
    write.ptr(out, null);
    return ERROR_RESOURCE_LANG_NOT_FOUND;
  }
  write.ptr(out, self.ctx.allocString(text));
  return S_OK;
}

const errorImplementation = lazyImplementation<FakeError, typeof IBackgroundCopyError>(IBackgroundCopyError, () => ({
  GetError: (self, pContext, pCode) => {
    const context = outPtr(pContext);
    const code = outPtr(pCode);
    write.u32(context, self.context);
    write.i32(code, self.code);
    return S_OK;
  },
  GetFile: (self, p) => {
    const out = outPtr(p);
    if (!self.file) {
      write.ptr(out, null);
      return self.ctx.codes.fileNotAvailable;
    }
    write.ptr(out, self.file.clientRef());
    return S_OK;
  },
  GetErrorDescription: (self, language, p) => describe(self, language, p, errorDescription(self.code)),
  GetErrorContextDescription: (self, language, p) => describe(self, language, p, contextDescription(self.context)),
  GetProtocol: (self, p) => {
    const out = outPtr(p);
    if (self.protocol === null) {
      write.ptr(out, null);
      return BG_E_PROTOCOL_NOT_AVAILABLE;
    }
    write.ptr(out, self.ctx.allocString(self.protocol));
    return S_OK;
  },
}));
