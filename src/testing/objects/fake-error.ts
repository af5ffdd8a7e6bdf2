/**
 * IBackgroundCopyError: a snapshot of why a job is in ERROR / TRANSIENT_ERROR. The job holds its
 * current error object; the object holds the failing file (if any) so GetFile can hand it out.
 */
import { IBackgroundCopyError } from '../../bits';
import type { ServiceContext } from '../service/context';
import { contextDescription, errorDescription } from '../service/descriptions';
import { FakeComObject, lazyImplementation } from './fake-object';
import type { FakeFile } from '../job/fake-file';
import {
  BG_E_PROTOCOL_NOT_AVAILABLE, E_INVALIDARG, E_NOTIMPL, ERROR_RESOURCE_LANG_NOT_FOUND, RPC_X_NULL_REF_POINTER,
} from '../service/hresults';
import { answer } from './wire';

export interface ErrorInit {
  readonly file: FakeFile | null;
  readonly context: number;
  readonly code: number;
  readonly protocol: string | null;
}

export class FakeError extends FakeComObject<ServiceContext> {
  readonly file: FakeFile | null;
  readonly context: number;
  readonly code: number;
  readonly protocol: string | null;

  constructor(ctx: ServiceContext, init: ErrorInit) {
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
function describe(self: FakeError, language: number, text: string | null): string {
  const mode = self.ctx.options.errorDescriptions;
  if (mode === 'notimpl') answer(E_NOTIMPL);
  // Wine: its E_NOTIMPL leaves the [out, ref] string NULL and the proxy turns that into this code.
  if (mode === 'null-ref') answer(RPC_X_NULL_REF_POINTER);
  if (language === 0) answer(E_INVALIDARG);
  if (text === null) answer(ERROR_RESOURCE_LANG_NOT_FOUND);
  return text;
}

const errorImplementation = lazyImplementation<FakeError, typeof IBackgroundCopyError>(IBackgroundCopyError, () => ({
  GetError: (self) => [self.context, self.code],
  GetFile: (self) => {
    if (!self.file) answer(self.ctx.codes.fileNotAvailable);
    return self.file.clientRef();
  },
  GetErrorDescription: (self, language) => describe(self, language, errorDescription(self.code)),
  GetErrorContextDescription: (self, language) => describe(self, language, contextDescription(self.context)),
  GetProtocol: (self) => {
    if (self.protocol === null) answer(BG_E_PROTOCOL_NOT_AVAILABLE);
    return self.protocol;
  },
}));
