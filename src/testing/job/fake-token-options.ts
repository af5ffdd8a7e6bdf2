/**
 * IBitsTokenOptions (bits4_0.h), a tear-off of the job (its vtable would clash with Job's); the
 * helper token lives on the job, as BITS keeps it per job. The fake cannot read a real token: the
 * caller's token is its `owner` option (the SID the fake says created the job). Failures such as
 * E_ACCESSDENIED (not elevated) are injected with the `failures` option; the `tokenOptions` option
 * switches the interface off (E_NOINTERFACE, like Wine).
 */
import { HelperTokenFlags, IBitsTokenOptions } from '../../bits';
import type { ServiceContext } from '../service/context';
import { lazyImplementation, type FakeComObject } from '../objects/fake-object';
import { E_INVALIDARG } from '../service/hresults';
import { mutable, type RuledJob } from './rules';
import { TearOff } from '../objects/tear-off';
import { answer } from '../objects/wire';

/** The job's helper token, as the fake keeps it. */
export interface HelperTokenState {
  /** HelperTokenFlags bits (BITS default 0). */
  flags: number;
  /** The SID of the token lent with SetHelperToken, or null. */
  sid: string | null;
}

/** What the tear-off needs of its job (FakeJob). */
export type TokenOptionsOwner = FakeComObject & RuledJob & { readonly helperToken: HelperTokenState };

export class FakeTokenOptions extends TearOff<TokenOptionsOwner, ServiceContext> {
  constructor(ctx: ServiceContext, job: TokenOptionsOwner) {
    super(ctx, IBitsTokenOptions, job);
    this.attach(tokenOptionsImplementation());
  }
}

const tokenOptionsImplementation = lazyImplementation<FakeTokenOptions, typeof IBitsTokenOptions>(IBitsTokenOptions, () => ({
  SetHelperTokenFlags: (self, flags) => {
    if (flags & ~HelperTokenFlags.All) answer(E_INVALIDARG);
    mutable(self.owner);
    self.owner.helperToken.flags = flags;
  },
  GetHelperTokenFlags: (self) => self.owner.helperToken.flags,
  SetHelperToken: (self) => {
    mutable(self.owner);
    self.owner.helperToken.sid = self.ctx.options.owner;
  },
  ClearHelperToken: (self) => {
    mutable(self.owner);
    self.owner.helperToken.sid = null;
  },
  // "If no SID is retrieved, this parameter is set to NULL" (the method still succeeds).
  GetHelperTokenSid: (self) => self.owner.helperToken.sid,
}));
