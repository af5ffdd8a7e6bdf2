export { DOManager, IDO_WINDOWS_VERSION } from './manager';
export type { DOConnectOptions, DODownloadOptions, DODownloadSettings, DOCategory } from './manager';
export { DODownload } from './download';
export type { DODownloadEvent, DODownloadListener, DOWaitOptions } from './download';
export type { DODownloadStatus } from './status';
export { downloadStateName } from './status';
export type { StreamSinkOptions } from './stream-sink';
export type { SettableProperty } from './properties';
export type { DOClientCertificate } from './client-certificate';
