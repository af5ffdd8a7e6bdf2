/** Coclasses that hand out an IBackgroundCopyManager. */

/** Delivery Optimization (DoSvc), BITS-style API. UNCONFIRMED by Microsoft's docs; used by public code. */
export const CLSID_DeliveryOptimization = '5b99fa76-721c-423c-adac-56d03c8a8007';

/** BITS (qmgr). */
export const CLSID_BackgroundCopyManager = '4991d34b-80a1-4291-83b6-3328366b9097';
