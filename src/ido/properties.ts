/**
 * What each DODownloadProperty holds (spec §9.2): its VARIANT type and whether it can be read and
 * written. The idiomatic layer types values and checks them against this table before anything
 * reaches native code. Access is as documented; the service has the last word (a property the
 * running Windows does not know answers DO_E_UNKNOWN_PROPERTY_ID).
 */
import { DODownloadProperty as P } from './enums';

/** VARIANT types the IDO properties use. */
export type PropertyVariant = 'bstr' | 'ui4' | 'ui8' | 'bool' | 'unknown' | 'ui1-array';

/** One row of {@link PROPERTY_INFO}. */
export interface PropertyInfo {
  /** The VARIANT type of the value. */
  readonly vt: PropertyVariant;
  /** GetProperty may read it. */
  readonly read: boolean;
  /** SetProperty may write it. */
  readonly write: boolean;
  /** The type is not in the SDK header this binding was checked against (26–29). */
  readonly unconfirmed?: true;
}

const rw = <V extends PropertyVariant>(vt: V) => ({ vt, read: true, write: true }) as const;
const ro = <V extends PropertyVariant>(vt: V) => ({ vt, read: true, write: false }) as const;
const wo = <V extends PropertyVariant>(vt: V) => ({ vt, read: false, write: true }) as const;

/** VARIANT type and access of every DODownloadProperty (spec §9.2). */
export const PROPERTY_INFO = {
  [P.Id]: ro('bstr'),
  [P.Uri]: rw('bstr'),
  [P.ContentId]: rw('bstr'),
  [P.DisplayName]: rw('bstr'),
  [P.LocalPath]: rw('bstr'),
  [P.HttpCustomHeaders]: rw('bstr'),
  [P.CostPolicy]: rw('ui4'),
  [P.SecurityFlags]: wo('ui4'),
  [P.CallbackFreqPercent]: rw('ui4'),
  [P.CallbackFreqSeconds]: rw('ui4'),
  [P.NoProgressTimeoutSeconds]: rw('ui4'),
  [P.ForegroundPriority]: rw('bool'),
  [P.BlockingMode]: rw('bool'),
  [P.CallbackInterface]: rw('unknown'),
  [P.StreamInterface]: rw('unknown'),
  [P.SecurityContext]: wo('ui1-array'),
  [P.NetworkToken]: wo('bool'),
  [P.CorrelationVector]: rw('bstr'),
  [P.DecryptionInfo]: wo('bstr'),
  [P.IntegrityCheckInfo]: wo('bstr'),
  [P.IntegrityCheckMandatory]: rw('bool'),
  [P.TotalSizeBytes]: rw('ui8'),
  [P.DisallowOnCellular]: rw('bool'),
  [P.HttpCustomAuthHeaders]: rw('bstr'),
  [P.HttpAllowSecureToNonSecureRedirect]: rw('bool'),
  [P.NonVolatile]: rw('bool'),
  [P.HttpRedirectionTarget]: { ...ro('bstr'), unconfirmed: true },
  [P.HttpResponseHeaders]: { ...ro('bstr'), unconfirmed: true },
  [P.HttpServerIPAddress]: { ...ro('bstr'), unconfirmed: true },
  [P.HttpStatusCode]: { ...ro('ui4'), unconfirmed: true },
} as const satisfies Record<P, PropertyInfo>;

/** The JavaScript type of each property's value (PROPERTY_INFO's VARIANT types; checked below). */
export interface PropertyTypes {
  /** VT_BSTR, read-only. */
  [P.Id]: string;
  /** VT_BSTR, read/write. */
  [P.Uri]: string;
  /** VT_BSTR, read/write. */
  [P.ContentId]: string;
  /** VT_BSTR, read/write. */
  [P.DisplayName]: string;
  /** VT_BSTR, read/write. */
  [P.LocalPath]: string;
  /** VT_BSTR, read/write. */
  [P.HttpCustomHeaders]: string;
  /** VT_UI4, read/write. */
  [P.CostPolicy]: number;
  /** VT_UI4, write-only. */
  [P.SecurityFlags]: number;
  /** VT_UI4, read/write. */
  [P.CallbackFreqPercent]: number;
  /** VT_UI4, read/write. */
  [P.CallbackFreqSeconds]: number;
  /** VT_UI4, read/write. */
  [P.NoProgressTimeoutSeconds]: number;
  /** VT_BOOL, read/write. */
  [P.ForegroundPriority]: boolean;
  /** VT_BOOL, read/write. */
  [P.BlockingMode]: boolean;
  /** VT_UNKNOWN, read/write. */
  [P.CallbackInterface]: bigint | null;
  /** VT_UNKNOWN, read/write. */
  [P.StreamInterface]: bigint | null;
  /** VT_ARRAY | VT_UI1, write-only. */
  [P.SecurityContext]: Uint8Array;
  /** VT_BOOL, write-only. */
  [P.NetworkToken]: boolean;
  /** VT_BSTR, read/write. */
  [P.CorrelationVector]: string;
  /** VT_BSTR, write-only. */
  [P.DecryptionInfo]: string;
  /** VT_BSTR, write-only. */
  [P.IntegrityCheckInfo]: string;
  /** VT_BOOL, read/write. */
  [P.IntegrityCheckMandatory]: boolean;
  /** VT_UI8, read/write. */
  [P.TotalSizeBytes]: bigint;
  /** VT_BOOL, read/write. */
  [P.DisallowOnCellular]: boolean;
  /** VT_BSTR, read/write. */
  [P.HttpCustomAuthHeaders]: string;
  /** VT_BOOL, read/write. */
  [P.HttpAllowSecureToNonSecureRedirect]: boolean;
  /** VT_BOOL, read/write. */
  [P.NonVolatile]: boolean;
  /** VT_BSTR, read-only. */
  [P.HttpRedirectionTarget]: string;
  /** VT_BSTR, read-only. */
  [P.HttpResponseHeaders]: string;
  /** VT_BSTR, read-only. */
  [P.HttpServerIPAddress]: string;
  /** VT_UI4, read-only. */
  [P.HttpStatusCode]: number;
}

/** The JavaScript type of a property's value. */
export type PropertyValue<K extends P> = PropertyTypes[K];

type JsOf<V> = V extends 'bstr' ? string : V extends 'ui4' ? number : V extends 'ui8' ? bigint : V extends 'bool' ? boolean
  : V extends 'unknown' ? bigint | null : Uint8Array;
/** True per property when PropertyTypes and PROPERTY_INFO agree: the two cannot drift apart. */
type Agrees = { [K in P]: [JsOf<(typeof PROPERTY_INFO)[K]['vt']>] extends [PropertyTypes[K]] ? ([PropertyTypes[K]] extends [JsOf<(typeof PROPERTY_INFO)[K]['vt']>] ? true : false) : false };
const agrees: Record<P, true> = {} as Agrees;
void agrees;
