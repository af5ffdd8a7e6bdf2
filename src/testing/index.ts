/**
 * `delivery-optimization/testing`: a fake BITS / Delivery Optimization service with real native
 * vtables, for testing code that uses the library without Windows.
 */
export type { ServiceProvider } from './provider';
export { createFakeService, FakeService } from './fake-service';
export type { FakeFileInfo, FakeIdoDownloadInfo, FakeJobInfo } from './fake-service';
export { WINE_FAILURES, WINE_LIKE_OPTIONS, WINE_NOT_IMPLEMENTED } from './options';
export type { FakeFlavour, FakeServiceOptions, FakeTiming, FaultWhen, MethodFault } from './options';
export { DEFAULT_BEHAVIOUR, fakeContent, fakeServerCertificate } from './scripts';
export { fakeSerializedCertificate } from './ido/fake-certificates';
export type { FakeCertificate } from './ido/fake-certificates';
export type { Behaviour, FailBehaviour, HangBehaviour, SucceedBehaviour, TransientBehaviour } from './scripts';
export type { CoTaskMemStats, FakeObjectStats, FakeStats, NotificationStats } from './counters';
export { takeCreatedFakes, verifyFakes } from './registry';
export { RecordingCallback } from './recording-callback';
export type { CallbackCall, CallbackMethod } from './recording-callback';
export type { FakeActivator, FakeClassRegistrar } from './service/class-activation';
