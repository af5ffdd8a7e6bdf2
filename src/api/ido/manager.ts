/**
 * Delivery Optimization's IDO API: IDOManager, activated from CLSID_DeliveryOptimization with
 * IID_IDOManager. Windows without it answers REGDB_E_CLASSNOTREG (no Delivery Optimization at
 * all, e.g. Wine) or E_NOINTERFACE (Delivery Optimization older than the IDO API); both reject
 * with ClassNotRegisteredError naming the Windows version needed.
 */
import { ComPtr, E_NOINTERFACE, E_POINTER, IEnumUnknown, IUnknown, REGDB_E_CLASSNOTREG, failure, takeVariant, withVariant, type VariantValue } from '../../com';
import { CLSID_DeliveryOptimization, DODownloadCostPolicy, DODownloadProperty as P, IDODownload, IDOManager } from '../../ido';
import { ClassNotRegisteredError } from '../../errors';
import { collectEnumerator } from '../enumerate';
import { activate } from '../activate';
import { ComResource } from '../resource';
import type { ServiceProvider } from '../service';
import {
  invalidArgValue, validateBoolean, validateDisplayName, validateEnum, validateLocalPath, validateOptionsObject, validateRemoteUrl,
  validateString, validateUint32, validateUint64,
} from '../validate';
import { DODownload } from './download';
import { encodeProperty, type SettableProperty } from './properties';

/** What the IDO API needs, for messages. */
export const IDO_WINDOWS_VERSION = 'Windows 10 version 1809 or later (the SDK documents Windows 11 build 22621)';

/** Options of {@link DOManager.connect}. */
export interface DOConnectOptions {
  /** 'delivery-optimization' (default: the real service, Windows only) or a ServiceProvider such as the testing fake. */
  readonly service?: 'delivery-optimization' | ServiceProvider;
  /** Longest time one call may take (ms; 0 = no limit). Default 120,000. */
  readonly callTimeoutMs?: number;
}

/** Properties a download is created with. `uri` or `contentId` is required. */
export interface DODownloadOptions {
  /** The http(s) URL to download. */
  readonly uri?: string;
  /** A content id known to Delivery Optimization's services. */
  readonly contentId?: string;
  /** Where DO writes the file; leave it out to read the download as a stream (`download.stream()`). */
  readonly localPath?: string;
  /** A name for the download. */
  readonly displayName?: string;
  /** Pre-formatted header lines (`Name: value\r\n`), or an object of them. Never shown in messages. */
  readonly httpCustomHeaders?: string | Readonly<Record<string, string>>;
  /** On which networks DO may download. */
  readonly costPolicy?: DODownloadCostPolicy;
  /** Foreground priority (default background). */
  readonly foreground?: boolean;
  /** Seconds without progress before DO gives up (min 60; 0 = DO's default). */
  readonly noProgressTimeoutSeconds?: number;
  /** How often status callbacks come: every `percent` of progress and/or every `seconds`. */
  readonly callbackFrequency?: {
    /** Every this many percent of progress. */
    readonly percent?: number;
    /** Every this many seconds (DO's default: 1). */
    readonly seconds?: number;
  };
  /** JSON (string or object): PiecesHashFileUrl, PiecesHashFileDigest, … (write-only). */
  readonly integrityCheckInfo?: string | object;
  /** Abort when the integrity check fails. */
  readonly integrityCheckMandatory?: boolean;
  /** JSON (string or object): KeyData, EncryptionBufferSize, … (write-only; never shown in messages). */
  readonly decryptionInfo?: string | object;
  /** true: DO uses the caller's token for network access. */
  readonly networkToken?: boolean;
  /** The file size, when known in advance. */
  readonly totalSizeBytes?: bigint | number;
  /** A telemetry correlation vector. */
  readonly correlationVector?: string;
  /** Never download on cellular networks. */
  readonly disallowOnCellular?: boolean;
}

function headerLines(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgValue('options.httpCustomHeaders', '[redacted]', 'must be a string or an object of header values');
  return Object.entries(value as Record<string, unknown>).map(([name, v]) => {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || typeof v !== 'string' || /[\r\n\0]/.test(v)) {
      throw invalidArgValue('options.httpCustomHeaders', '[redacted]', 'must map header names to single-line string values');
    }
    return `${name}: ${v}\r\n`;
  }).join('');
}

function json(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) throw invalidArgValue(name, '[redacted]', 'must be a JSON string or an object');
  return JSON.stringify(value);
}

/** The properties a download is created with, each already encoded (and so checked) as its VARIANT. */
export type CheckedProperties = ReadonlyArray<readonly [SettableProperty, VariantValue]>;

/** The settings of an IDO download other than what it downloads and where (`download()`'s `ido` option). */
export type DODownloadSettings = Omit<DODownloadOptions, 'uri' | 'contentId' | 'localPath' | 'displayName'>;

/** Options → (property, value) pairs, all checked (values and VARIANT types) before the download is created. */

export function propertiesOf(options: unknown, posixPaths: boolean): CheckedProperties {
  const o = validateOptionsObject(options, 'options');
  const out: Array<[SettableProperty, unknown]> = [];
  const add = (id: SettableProperty, value: unknown) => out.push([id, value]);
  if (o.uri === undefined && o.contentId === undefined) throw invalidArgValue('options', 'an object', 'needs uri or contentId');
  if (o.uri !== undefined) add(P.Uri, validateRemoteUrl(o.uri, 'options.uri'));
  if (o.contentId !== undefined) add(P.ContentId, validateString(o.contentId, 'options.contentId', { min: 1, max: 2200 }));
  if (o.localPath !== undefined) add(P.LocalPath, validateLocalPath(o.localPath, 'options.localPath', { posix: posixPaths }));
  if (o.displayName !== undefined) add(P.DisplayName, validateDisplayName(o.displayName, 'options.displayName'));
  if (o.httpCustomHeaders !== undefined) add(P.HttpCustomHeaders, headerLines(o.httpCustomHeaders));
  if (o.costPolicy !== undefined) add(P.CostPolicy, validateEnum(o.costPolicy, DODownloadCostPolicy, 'options.costPolicy'));
  if (o.foreground !== undefined) add(P.ForegroundPriority, validateBoolean(o.foreground, 'options.foreground'));
  if (o.noProgressTimeoutSeconds !== undefined) add(P.NoProgressTimeoutSeconds, validateUint32(o.noProgressTimeoutSeconds, 'options.noProgressTimeoutSeconds'));
  if (o.callbackFrequency !== undefined) {
    const f = validateOptionsObject(o.callbackFrequency, 'options.callbackFrequency');
    if (f.percent !== undefined) add(P.CallbackFreqPercent, validateUint32(f.percent, 'options.callbackFrequency.percent'));
    if (f.seconds !== undefined) add(P.CallbackFreqSeconds, validateUint32(f.seconds, 'options.callbackFrequency.seconds'));
  }
  if (o.integrityCheckInfo !== undefined) add(P.IntegrityCheckInfo, json(o.integrityCheckInfo, 'options.integrityCheckInfo'));
  if (o.integrityCheckMandatory !== undefined) add(P.IntegrityCheckMandatory, validateBoolean(o.integrityCheckMandatory, 'options.integrityCheckMandatory'));
  if (o.decryptionInfo !== undefined) add(P.DecryptionInfo, json(o.decryptionInfo, 'options.decryptionInfo'));
  if (o.networkToken !== undefined) add(P.NetworkToken, validateBoolean(o.networkToken, 'options.networkToken'));
  if (o.totalSizeBytes !== undefined) add(P.TotalSizeBytes, validateUint64(o.totalSizeBytes, 'options.totalSizeBytes'));
  if (o.correlationVector !== undefined) add(P.CorrelationVector, validateString(o.correlationVector, 'options.correlationVector', { max: 128 }));
  if (o.disallowOnCellular !== undefined) add(P.DisallowOnCellular, validateBoolean(o.disallowOnCellular, 'options.disallowOnCellular'));
  // The VARIANT type of each value is checked here too, before anything is created; the VARIANTs travel inward.
  return out.map(([id, value]) => [id, encodeProperty(id, value)] as const);
}

/** A category for `downloads()`: downloads whose property equals `value`. */
export interface DOCategory {
  /** The property compared. */
  readonly property: P.Id | P.Uri | P.ContentId | P.DisplayName | P.LocalPath;
  /** The value it must equal. */
  readonly value: string;
}

/**
 * Delivery Optimization's IDO API: creates and lists downloads (`IDOManager`). `close()` (or
 * `dispose()`) releases it.
 */
export class DOManager extends ComResource {
  readonly #manager: ComPtr<typeof IDOManager>;
  /** The service it talks to. */
  readonly service: ServiceProvider;

  private constructor(manager: ComPtr<typeof IDOManager>, service: ServiceProvider) {
    super();
    this.#manager = this.adopt(manager);
    this.service = service;
  }

  protected get displayName(): string {
    return `DOManager (${this.service.displayName})`;
  }

  /**
   * Activates IDOManager. Rejects with PlatformNotSupportedError off Windows, and with
   * ClassNotRegisteredError where the IDO API does not exist (Wine, older Windows).
   */
  static async connect(options: DOConnectOptions = {}): Promise<DOManager> {
    const { service, ptr } = await activate(options, {
      iface: IDOManager,
      names: ['delivery-optimization'],
      clsid: CLSID_DeliveryOptimization,
      feature: () => 'Connecting to Delivery Optimization (IDO API)',
      notRegisteredCodes: [REGDB_E_CLASSNOTREG, E_NOINTERFACE],
      notRegistered: (hr, operation) => {
        const why = hr === E_NOINTERFACE ? 'its COM class does not offer IDOManager on this computer' : 'its COM class is not registered on this computer';
        return new ClassNotRegisteredError(hr, { service: "Delivery Optimization's IDO API", operation, description: `Delivery Optimization's IDO API is not available: ${why}. It needs ${IDO_WINDOWS_VERSION}.` });
      },
    });
    return new DOManager(ptr, service);
  }

  /** A download wrapper over an owned pointer (its proxy security set by ComPtr.own), then its Id. */
  async #wrap(download: ComPtr<typeof IDODownload>): Promise<DODownload> {
    try {
      const variant = await download.invoke('GetProperty', P.Id);
      const id = takeVariant(this.service.runtime, variant);
      return new DODownload(download, id.type === 'bstr' ? id.value : '', this.service);
    } catch (error) {
      await download.release();
      throw error;
    }
  }

  /**
   * Creates a download with these properties (checked before anything reaches the service). Then
   * `stream()` if it has no localPath, and `start()`. A property the service refuses aborts the
   * new download and rejects with that error.
   */
  async createDownload(options: DODownloadOptions): Promise<DODownload> {
    this.ensureLive();
    return this.createDownloadChecked(propertiesOf(options, this.service.posixPaths === true));
  }

  /** @internal `createDownload` with its properties already checked and encoded (auto-download's `download()`). */
  async createDownloadChecked(properties: CheckedProperties): Promise<DODownload> {
    this.ensureLive();
    const ptr = await this.#manager.invoke('CreateDownload');
    if (ptr === null) throw failure(this.service.runtime, E_POINTER, IDOManager.methods.CreateDownload.qualifiedName);
    const raw = ComPtr.own(ptr, IDODownload, this.service.runtime);
    try {
      for (const [id, value] of properties) {
        await withVariant(this.service.runtime, value, (v) => raw.invoke('SetProperty', id, v));
      }
    } catch (error) {
      await raw.invokeRaw('Abort').catch(() => undefined);
      await raw.release();
      throw error;
    }
    return this.#wrap(raw);
  }

  /** The caller's downloads (only those this user created), all or those of one category. */
  async downloads(category?: DOCategory): Promise<DODownload[]> {
    this.ensureLive();
    let wire: { Property: number; Value: string } | null = null;
    if (category !== undefined) {
      const c = validateOptionsObject(category, 'category');
      const property = validateEnum(c.property, P, 'category.property');
      if (![P.Id, P.Uri, P.ContentId, P.DisplayName, P.LocalPath].includes(property)) {
        throw invalidArgValue('category.property', c.property, 'must be Id, Uri, ContentId, DisplayName or LocalPath');
      }
      wire = { Property: property, Value: validateString(c.value, 'category.value', { min: 1, max: 32767 }) };
    }
    const ptr = await this.#manager.invoke('EnumDownloads', wire);
    if (ptr === null) return [];
    const enumerator = ComPtr.own(ptr, IEnumUnknown, this.service.runtime);
    let unknowns: Array<ComPtr<typeof IUnknown>> = [];
    const out: DODownload[] = [];
    try {
      unknowns = await collectEnumerator(enumerator, IUnknown);
      while (unknowns.length > 0) {
        // Elements are IUnknown: ask each for IDODownload, as the SDK says.
        const p = unknowns.shift() as ComPtr<typeof IUnknown>;
        const download = await p.query(IDODownload).finally(() => p.release());
        if (download) out.push(await this.#wrap(download));
      }
      return out;
    } catch (error) {
      await Promise.all([...unknowns.map((p) => p.release()), ...out.map((d) => d.close())]);
      throw error;
    } finally {
      await enumerator.release();
    }
  }
}
