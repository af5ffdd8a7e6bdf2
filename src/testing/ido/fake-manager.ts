/**
 * IDOManager in the fake's `ido` flavour: what activation hands out for IID_IDOManager. Its list
 * holds every download not yet finalized or aborted (EnumDownloads enumerates that list).
 */
import { pointerSize, readPointer, readWideString } from '../../com';
import { DODownloadProperty as P, IDOManager } from '../../ido';
import { FakeComObject, lazyImplementation } from '../objects/fake-object';
import type { ServiceContext } from '../service/context';
import { FakeEnum } from '../objects/fake-enum';
import { E_INVALIDARG } from '../service/hresults';
import type { DownloadList, FakeIdoDownload } from './fake-download';
import { answer, readBytes } from '../objects/wire';

/** Properties EnumDownloads can select by (spec §9.1). */
const CATEGORIES: ReadonlySet<number> = new Set([P.Id, P.Uri, P.ContentId, P.DisplayName, P.LocalPath]);

export class FakeIdoManager extends FakeComObject<ServiceContext> implements DownloadList {
  readonly downloads: FakeIdoDownload[] = [];

  constructor(ctx: ServiceContext) {
    super(ctx, IDOManager, true);
    this.attach(idoManagerImplementation());
  }

  get label(): string {
    return 'the IDO manager';
  }

  remove(download: FakeIdoDownload): void {
    const i = this.downloads.indexOf(download);
    if (i < 0) return;
    this.downloads.splice(i, 1);
    download.drop();
  }

  /** dispose(): every download gives back the client objects it holds, and the list lets go. */
  removeAll(): void {
    for (const d of [...this.downloads]) {
      d.releaseClientObjects();
      this.remove(d);
    }
  }
}

const idoManagerImplementation = lazyImplementation<FakeIdoManager, typeof IDOManager>(IDOManager, () => ({
  CreateDownload: (self) => {
    const download = self.ctx.createDownload(self);
    self.downloads.push(download);
    return download.clientRef();
  },
  EnumDownloads: (self, category) => {
    let items = self.downloads;
    if (category !== null) {
      const raw = readBytes(category, 2 * pointerSize());
      const property = raw.readUInt32LE(0);
      const valuePtr = readPointer(raw, pointerSize());
      if (!CATEGORIES.has(property) || valuePtr === null) answer(E_INVALIDARG);
      const value = readWideString(valuePtr);
      items = items.filter((d) => d.categoryValue(property) === value);
    }
    return new FakeEnum(self.ctx, 'unknown', items).ptr;
  },
}));
